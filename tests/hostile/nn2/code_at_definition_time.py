# attack: runs code when the definitions load: a default argument that writes outside its folder, a class body that ends the process, a class body that loops forever
# defence: definitions run one by one in the child under the same limits; one that ends or hangs the process is left out (with a note) and a new child loads the rest
# scores: Mix=full Grad=full FrobClassifier=0 MixClassifier=0
# message: exited with code 5
# message: did not finish within 12 seconds
# message: so it was left out
import os

def Mix(nn, _=os.system("touch /tmp/nn2-default-argument-ran; touch $HOME/../nn2-escaped")):
    W = list(nn.model)[0].weight
    return (W.abs().sum(dim=0)**2).sum()**.5

class FrobClassifier(NeuralNetworkClassifier):
    os._exit(5)

class MixClassifier(NeuralNetworkClassifier):
    while True:
        pass
