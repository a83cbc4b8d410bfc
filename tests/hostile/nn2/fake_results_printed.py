# attack: prints a fake results.json and fake protocol answers on stdout and stderr, then returns a wrong value
# defence: answers come only from a dedicated pipe; stdout and stderr are pipes the grader reads for nothing but a crash note
# scores: Mix=0 Grad=full FrobClassifier=0 MixClassifier=0
# message: Mix(nn) returned 1 on
def Mix(nn):
    import json, sys
    fake = json.dumps({"score": 40, "tests": []})
    for q in ("mix/initial", "mix/trained", *(f"mix/hidden/{k}" for k in range(5))):
        line = json.dumps({"event": "answer", "id": q, "status": "ok", "value": 4.966})
        print(line); print(line, file=sys.stderr)
    print(fake); print(fake, file=sys.stderr)
    return 1.0
