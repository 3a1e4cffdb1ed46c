begin
  x := ;
end.
