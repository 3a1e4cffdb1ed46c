var p: pointer;
begin
  getmem(p, 48 shl 20);
  fillchar(p^, 48 shl 20, 1);
  writeln('ok ', 48);
end.
