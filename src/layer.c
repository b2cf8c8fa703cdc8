#include "config.h"

/*
 * The program each layer check links: nothing but main. The layer's library
 * is linked whole beside it (Makefile.am), so every object of the layer must
 * find what it calls in the layers below, or the link fails.
 */
int main(void)
{
	return 0;
}
