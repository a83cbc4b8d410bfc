# attack: walks the call stack and the garbage collector for expected values, tolerances, the rubric or the seed
# defence: the child never holds them: expected values are computed in the parent after the child has answered
# scores: Mix=0 Grad=full FrobClassifier=0 MixClassifier=0
# message: Mix(nn) returned 1000 on
def Mix(nn):
    import gc, sys
    # What the grader's rubric and expected values would look like if the child held them.
    wanted = {"grad_rtol", "frob_lambda", "mix_lambda", "hidden_networks", "seed_file", "expected_value"}
    # The kit's own modules: the engine's child code and the homework's, under their (empty) packages.
    kit = ("autograder.child", "autograder.homeworks.nn2.child")
    stubs = {"autograder", "autograder.homeworks", "autograder.homeworks.nn2"}
    found = len([m for m in sys.modules if m.startswith("autograder") and m not in stubs
                 and not m.startswith(kit)])
    for obj in gc.get_objects():
        if isinstance(obj, dict) and (wanted & set(k for k in obj if isinstance(k, str))
                                      or isinstance(obj.get("expected"), float)):
            found += 1
    frame = sys._getframe()
    while frame:
        if wanted & set(frame.f_locals) or wanted & set(frame.f_globals):
            found += 1
        frame = frame.f_back
    return 1000.0 + found
