# attack: connects by TCP and sends UDP datagrams to listeners the test started on 127.0.0.1 (to carry answers or questions out)
# defence: a seccomp filter installed in every child before student code refuses every socket but unix ones (EACCES), on any kernel; Landlock (ABI 4) refuses TCP as well
# without landlock: the seccomp filter alone: the listeners receive nothing
# listen: tcp udp
# scores: Mix=0 Grad=full FrobClassifier=0 MixClassifier=0
# message: Mix(nn) returned 1000 on
def Mix(nn):
    import socket
    sent = 0
    try:
        c = socket.create_connection(("127.0.0.1", TCP_PORT), timeout=1)
        c.sendall(b"the questions")
        sent += 1
    except OSError:
        pass
    for family, host in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):
        try:
            u = socket.socket(family, socket.SOCK_DGRAM)
            u.sendto(b"the questions", (host, UDP_PORT))
            sent += 1
        except OSError:
            pass
    return 1000.0 + sent
