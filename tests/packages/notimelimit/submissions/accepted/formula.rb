n = gets.to_i
puts n * (n + 1) / 2
