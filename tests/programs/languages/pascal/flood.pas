begin
  while true do
    writeln('flood flood flood flood');
end.
