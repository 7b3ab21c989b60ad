/*
 * The smallest program: a static binary that exits at once. The spawn
 * bench (spawn_bench.c) starts it with fork+exec as its baseline, and as
 * a protection domain to measure what confinement adds.
 */
int main(void)
{
	return 0;
}
