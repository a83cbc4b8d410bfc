# attack: returns an integer too large for a float and a list nested a hundred thousand levels deep
# defence: conversion happens inside the child's error handling; the pipe carries only plain JSON numbers, read with a size cap
# scores: Mix=0 Grad=0 FrobClassifier=0 MixClassifier=0
# message: OverflowError
# message: returned a list
def Mix(nn):
    return 10**400

def Grad(nn, X):
    deep = [1.0]
    for _ in range(100_000):
        deep = [deep]
    return deep
