let () =
  let chunks = ref [] in
  while true do
    chunks := Array.make (1 lsl 17) 1 :: !chunks
  done
