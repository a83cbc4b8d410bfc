# attack: opens TCP sockets: listens on a port and connects out (to send answers away or fetch them)
# defence: a seccomp filter refuses every socket but unix ones (EACCES), and Landlock denies TCP bind and connect (ABI 4 and later)
# without landlock: the seccomp filter alone: no socket but unix ones, TCP and UDP alike
# scores: Mix=0 Grad=full FrobClassifier=0 MixClassifier=0
# message: Mix(nn) returned 1000 on
def Mix(nn):
    import socket
    found = 0
    try:
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        s.listen()
        found += 1
        c = socket.create_connection(s.getsockname(), timeout=1)
        found += 1
    except OSError:
        pass
    try:
        socket.create_connection(("1.1.1.1", 443), timeout=1)
        found += 1
    except OSError:
        pass
    return 1000.0 + found
