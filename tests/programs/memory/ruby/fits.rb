block = "x" * (48 << 20)
puts "ok #{block.size >> 20}"
