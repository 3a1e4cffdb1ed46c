var a: array of longint;
begin
  setlength(a, 0);
  writeln(a[100000000]);
end.
