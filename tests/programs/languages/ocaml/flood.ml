let () = while true do print_string "flood flood flood flood\n" done
