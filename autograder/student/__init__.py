"""The students' self-check on their own computer: a session that asks and decides, a printer, the kernel's cells."""
