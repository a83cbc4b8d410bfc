"""The child's side of "Neural Networks 2": the handout's provided code and data, and how each
kind of question is answered. Copied whole into every child's kit; also what the loader and the
notebook builder read the handout from."""
