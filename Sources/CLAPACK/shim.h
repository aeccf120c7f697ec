// Umbrella for Debian's libopenblas-dev (CBLAS) + liblapacke-dev.
#include <cblas.h>
#include <lapacke.h>
