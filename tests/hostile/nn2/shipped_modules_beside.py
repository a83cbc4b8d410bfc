# attack: uploads conftest.py, sitecustomize.py, usercustomize.py, numpy.py and torch.py beside the notebook, each claiming full marks or breaking imports
# defence: only the notebook is read; the child starts with -I -S in its own folder, the checks run with --noconftest, and the grader is started as a script or with -P, so no folder of student files is on any sys.path
# without landlock: the same: nothing of the upload's folder is on any sys.path
# scores: Mix=0 Grad=full FrobClassifier=0 MixClassifier=0
# message: Mix(nn) returned 1 on
def Mix(nn):
    return 1.0
