# attack: finds the answer pipe's descriptor and writes forged answers for every Mix question ahead of its own
# defence: the parent takes the first answer to each question, in order, and checks its number against the oracle: a forged answer is just an answer; later duplicates are ignored, an answer out of order ends the child
# scores: Mix=0 Grad=full FrobClassifier=0 MixClassifier=0
# message: Mix(nn) returned 1234 on
def Mix(nn):
    import json, os, sys
    fd = int(sys.argv[-1])
    for q in ("mix/initial", "mix/trained", *(f"mix/hidden/{k}" for k in range(5))):
        os.write(fd, (json.dumps({"event": "answer", "id": q, "status": "ok", "value": 1234.5}) + "\n").encode())
    return 1.0
