type
  TChunk = array[0..262143] of longint;
  PChunk = ^TChunk;
var
  p: PChunk;
  i: longint;
begin
  while true do
  begin
    new(p);
    for i := 0 to 262143 do
      p^[i] := i;
  end;
end.
