import sys
sys.stdin.readline()
raise RuntimeError("the interactor itself is broken")
