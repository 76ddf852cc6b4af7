// wijkbudget-verify: offline verification of the public ledger. Links ledger/ only.
// (Being written: the subcommands land in the next commits.)
#include <cstdio>

int main()
{
    std::fputs("usage: wijkbudget-verify root|inclusion|consistency|checkpoint|export ...\n", stderr);
    return 2;
}
