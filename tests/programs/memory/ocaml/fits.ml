let () =
  let b = Bytes.make (48 * 1024 * 1024) 'x' in
  Printf.printf "ok %d\n" (Bytes.length b / 1024 / 1024)
