"""The child's side of "hessian": the handout's provided code and data function, and how each kind of
question is answered. Copied whole into every child's kit."""
