line = "flood " * 100
loop { puts line }
