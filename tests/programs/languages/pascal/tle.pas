var n: int64;
begin
  n := 0;
  while true do
    inc(n);
end.
