#include <bits/stdc++.h>
using namespace std;
int main()
{
  int count;   /* how many */
  cin >> count;
  vector<long long> arr(count);
  for (int k = 0; k < count; k++)
    cin >> arr[k];
  vector<long long> piles;
  for (long long item : arr)
  {
    auto where = lower_bound(piles.begin(), piles.end(), item);
    if (where == piles.end())
      piles.push_back(item);   // new pile
    else
      *where = item;
  }
  set<long long> uniq(arr.begin(), arr.end());
  long long top = 0;
  for (long long item : uniq)
    top = max(top, item);
  printf("%d %d %lld\n", (int)piles.size(), (int)uniq.size(), top);
  return 0;
}
