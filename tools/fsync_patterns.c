/* Durable-write patterns on this disk, for docs/benchmarks.md ("The receive path, later the same day" and "Paired chunks").
 * Writes N instances of SIZE bytes (default 500 x 538,624: the CT slices of tools/bench_network.sh) into DIR in one of
 * these ways and prints the time per instance and the part spent in the sync call:
 *   file:    the node's steps: a file written in 128 KiB pieces with write-back started after each
 *            (sync_file_range), fsync, close, rename into place; the file is created in the loop (see pooled);
 *   file-bg: the same, with the write-back started by a second thread (the writing thread only queues the ranges);
 *   journal: the alternative: the same file written without any sync, the same bytes also written into a
 *            pre-zeroed 64 MiB journal file (blocks already allocated), fdatasync of the journal, rename; a background
 *            thread calls syncfs every SYNCFS_MS milliseconds (0: never), as a checkpoint that lets the journal be reused;
 *   pooled, journal-pooled: as file and journal, into files created (empty) before the timing starts, as the node's
 *            pool of temporary files does in the background (file and journal include the creation of a new inode);
 *   fallocated, prefilled: as pooled, into files whose PREFILL (1 MiB) bytes of blocks are already allocated
 *            (fallocate) or allocated and written (zeros), cut to the instance's length before an fdatasync;
 *   padded:  as prefilled, but not cut to length: the instance's bytes overwrite the start of the 1 MiB, so the
 *            size does not change and fdatasync has no inode to write (the node would need the rest to be a Data Set
 *            Trailing Padding element, PS3.10 7.2; measured to see whether the inode's write is worth that);
 *   direct:  as pooled, written with O_DIRECT (no page cache: each 128 KiB piece goes to the device as it is
 *            written, the last padded to 4 KiB), cut to the instance's length, fsync.
 * Build and run: gcc -O2 -pthread [-DPIECE=BYTES] -o /tmp/fsync_patterns tools/fsync_patterns.c
 *                /tmp/fsync_patterns DIR PATTERN [SYNCFS_MS] [N] [SIZE]          (DIR must be empty or new) */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifndef PIECE
#define PIECE 131072 /* the size of each write and write-back step; -DPIECE=32768 etc. to try others */
#endif
#define JOURNAL_BYTES (64L << 20)
#define PREFILL (1L << 20)

static int journal = -1;
static volatile int done = 0;
static int syncfs_ms = 0;

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

static void *checkpoints(void *unused) {
  (void)unused;
  while (!done) {
    usleep(syncfs_ms * 1000);
    syncfs(journal);
  }
  return NULL;
}

/* file-bg: a ring of ranges the write-back thread takes in order. */
#define RING 1024
static struct { int fd; long at, len; } ring[RING];
static volatile long ring_head = 0, ring_tail = 0;

static void *write_back(void *unused) {
  (void)unused;
  while (!done || ring_tail < ring_head) {
    if (ring_tail == ring_head) { usleep(20); continue; }
    long slot = ring_tail % RING;
    sync_file_range(ring[slot].fd, ring[slot].at, ring[slot].len, SYNC_FILE_RANGE_WRITE);
    __atomic_store_n(&ring_tail, ring_tail + 1, __ATOMIC_RELEASE);
  }
  return NULL;
}

static void check(int ok, const char *what) {
  if (!ok) { perror(what); exit(1); }
}

int main(int argc, char **argv) {
  if (argc < 3) { fprintf(stderr, "usage: %s DIR file|file-bg|journal|journal-pooled|pooled|fallocated|prefilled|padded|direct [SYNCFS_MS] [N] [SIZE]\n", argv[0]); return 2; }
  const char *dir = argv[1];
  int use_journal = strncmp(argv[2], "journal", 7) == 0;
  int in_background = strcmp(argv[2], "file-bg") == 0;
  int pooled = strcmp(argv[2], "pooled") == 0, fallocated = strcmp(argv[2], "fallocated") == 0;
  int prefilled = strcmp(argv[2], "prefilled") == 0, direct = strcmp(argv[2], "direct") == 0;
  int padded = strcmp(argv[2], "padded") == 0;
  prefilled = prefilled || padded;
  int ahead = pooled || fallocated || prefilled || direct || strcmp(argv[2], "journal-pooled") == 0;
  syncfs_ms = argc > 3 ? atoi(argv[3]) : 0;
  int n = argc > 4 ? atoi(argv[4]) : 500;
  long size = argc > 5 ? atol(argv[5]) : 538624;
  char path[4096], target[4096];
  mkdir(dir, 0755);
  char *data = NULL;
  check(posix_memalign((void **)&data, 4096, size + 4096) == 0, "posix_memalign");
  for (long i = 0; i < size; i++) data[i] = (char)rand();

  if (use_journal) {
    snprintf(path, sizeof path, "%s/journal", dir);
    journal = open(path, O_RDWR | O_CREAT, 0644);
    check(journal >= 0, "open journal");
    char *zeros = calloc(1, 1 << 20);
    for (long i = 0; i < JOURNAL_BYTES >> 20; i++) check(write(journal, zeros, 1 << 20) == 1 << 20, "zero journal");
    check(fsync(journal) == 0, "fsync journal");
    int d = open(dir, O_RDONLY);
    fsync(d);
    close(d);
  }
  if (ahead) {
    /* Untimed: the files the writes go into, created as the node's pool creates them, ahead and in the background. */
    char *zeros = calloc(1, PREFILL);
    for (int i = 0; i < n; i++) {
      snprintf(path, sizeof path, "%s/%d.part", dir, i);
      int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
      check(fd >= 0, "create ahead");
      if (fallocated) check(fallocate(fd, 0, 0, PREFILL) == 0, "fallocate");
      if (prefilled) check(write(fd, zeros, PREFILL) == PREFILL, "prefill");
      /* The node's pool fsyncs the folder once for a batch, not each new file; the blocks allocated here need theirs. */
      if (fallocated || prefilled) check(fsync(fd) == 0, "fsync ahead");
      close(fd);
    }
    int d = open(dir, O_RDONLY);
    fsync(d);
    close(d);
    sync();
    sleep(2);
  }
  pthread_t thread;
  if (use_journal && syncfs_ms > 0) pthread_create(&thread, NULL, checkpoints, NULL);
  if (in_background) pthread_create(&thread, NULL, write_back, NULL);

  long head = 4096, record = 4096 + ((size + 4095) / 4096) * 4096;
  double start = now(), in_sync = 0;
  for (int i = 0; i < n; i++) {
    snprintf(path, sizeof path, "%s/%d.part", dir, i);
    int fd = open(path, ahead ? O_WRONLY | (direct ? O_DIRECT : 0) : O_WRONLY | O_CREAT | O_TRUNC, 0644);
    check(fd >= 0, "open");
    if (head + record > JOURNAL_BYTES) head = 4096;
    for (long at = 0; at < size; at += PIECE) {
      long len = size - at < PIECE ? size - at : PIECE;
      if (direct) {
        long padded = (len + 4095) / 4096 * 4096;
        check(pwrite(fd, data + at, padded, at) == padded, "pwrite O_DIRECT");
        continue;
      }
      check(write(fd, data + at, len) == len, "write");
      if (use_journal) check(pwrite(journal, data + at, len, head + 4096 + at) == len, "pwrite journal");
      else if (in_background) {
        while (ring_head - __atomic_load_n(&ring_tail, __ATOMIC_ACQUIRE) >= RING) usleep(10);
        long slot = ring_head % RING;
        ring[slot].fd = fd; ring[slot].at = at; ring[slot].len = len;
        __atomic_store_n(&ring_head, ring_head + 1, __ATOMIC_RELEASE);
      } else sync_file_range(fd, at, len, SYNC_FILE_RANGE_WRITE);
    }
    double before = now();
    /* The file's descriptor must outlive the queued ranges: wait for the write-back thread to pass them. */
    while (in_background && __atomic_load_n(&ring_tail, __ATOMIC_ACQUIRE) < ring_head) usleep(5);
    if (use_journal) {
      check(pwrite(journal, data, 4096, head) == 4096, "pwrite record header");
      check(fdatasync(journal) == 0, "fdatasync journal");
      head += record;
    } else if (fallocated || prefilled) {
      if (!padded) check(ftruncate(fd, size) == 0, "ftruncate");
      check(fdatasync(fd) == 0, "fdatasync");
    } else {
      if (direct) check(ftruncate(fd, size) == 0, "ftruncate");
      check(fsync(fd) == 0, "fsync");
    }
    in_sync += now() - before;
    close(fd);
    snprintf(target, sizeof target, "%s/%d.dcm", dir, i);
    check(rename(path, target) == 0, "rename");
  }
  double total = now() - start;
  done = 1;
  printf("%s%s: %d x %ld bytes in %.3f s: %.3f ms per instance, %.3f ms of it in %s\n", argv[2],
         use_journal ? (syncfs_ms ? " (syncfs checkpoints)" : " (no checkpoint)") : "", n, size, total, total / n * 1e3,
         in_sync / n * 1e3, use_journal || fallocated || prefilled ? "fdatasync" : "fsync");
  return 0;
}
