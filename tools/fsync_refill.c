/* The pool of durable temporary files with its refill running, for docs/benchmarks.md ("Prewritten pool files, with
 * their refill running"). A writing thread stores N instances of SIZE bytes (default 300 x 538,624: the CT slices of
 * the paired benchmark) as the node does: into a file taken from the pool, in 128 KiB pieces with write-back started
 * after each (sync_file_range), a 24-byte seal at offset 0, the sync call, close, rename into place. A second thread
 * refills the pool in batches of 16 while it runs (the next batch once fewer than 32 files are ready) and makes the
 * renames durable with one fsync of the folder per 16, as the node's store-durability thread does. Patterns:
 *   empty:      the node's: pool files are created empty (one fsync of the folder per batch); fsync before Success
 *               writes the data, the inode (size and blocks) and flushes the device cache;
 *   prewritten: pool files are written with zeros up to the instance's size rounded up to 64 KiB (plus room for a
 *               12-byte Data Set Trailing Padding header) and fdatasynced one by one as they are made; the instance
 *               overwrites the start, the padding header follows it, fdatasync has no size or block to record, and the
 *               file is cut to length after it (a crash before the cut leaves a valid file: the data set and padding).
 * What the "padded" pattern of fsync_patterns.c measured with the files prewritten before the timing starts, this
 * measures with the prewriting competing for the same disk, as it would in a node receiving all day.
 * Build and run: gcc -O2 -pthread -o /tmp/fsync_refill tools/fsync_refill.c
 *                /tmp/fsync_refill DIR empty|prewritten [N] [SIZE]          (DIR must be empty or new) */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define PIECE 131072
#define BATCH 16

static const char *dir;
static int prewritten, n, folder;
static long size, prefill;
static volatile int made = 0, renamed = 0, done = 0;

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

static void check(int ok, const char *what) {
  if (!ok) { perror(what); exit(1); }
}

static void *refill(void *unused) {
  (void)unused;
  char path[4096];
  char *zeros = calloc(1, prefill);
  int committed = 0;
  while (!done) {
    int ready = __atomic_load_n(&made, __ATOMIC_ACQUIRE);
    if (ready < n && ready < __atomic_load_n(&renamed, __ATOMIC_ACQUIRE) + 2 * BATCH) {
      int until = ready + BATCH < n ? ready + BATCH : n;
      for (int i = ready; i < until; i++) {
        snprintf(path, sizeof path, "%s/%d.part", dir, i);
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        check(fd >= 0, "create");
        if (prewritten) {
          check(write(fd, zeros, prefill) == prefill, "prewrite");
          check(fdatasync(fd) == 0, "fdatasync prewritten");
        }
        close(fd);
      }
      check(fsync(folder) == 0, "fsync folder (batch)");
      __atomic_store_n(&made, until, __ATOMIC_RELEASE);
    }
    int now_renamed = __atomic_load_n(&renamed, __ATOMIC_ACQUIRE);
    if (now_renamed - committed >= BATCH) {
      check(fsync(folder) == 0, "fsync folder (renames)");
      committed = now_renamed;
    }
    usleep(100);
  }
  return NULL;
}

int main(int argc, char **argv) {
  if (argc < 3 || (strcmp(argv[2], "empty") && strcmp(argv[2], "prewritten"))) {
    fprintf(stderr, "usage: %s DIR empty|prewritten [N] [SIZE]\n", argv[0]);
    return 2;
  }
  dir = argv[1];
  prewritten = strcmp(argv[2], "prewritten") == 0;
  n = argc > 3 ? atoi(argv[3]) : 300;
  size = argc > 4 ? atol(argv[4]) : 538624;
  prefill = (size + 12 + 65535) / 65536 * 65536;
  mkdir(dir, 0755);
  folder = open(dir, O_RDONLY);
  check(folder >= 0, "open folder");
  char *data = malloc(size);
  for (long i = 0; i < size; i++) data[i] = (char)rand();

  pthread_t thread;
  pthread_create(&thread, NULL, refill, NULL);
  while (__atomic_load_n(&made, __ATOMIC_ACQUIRE) < 2 * BATCH && __atomic_load_n(&made, __ATOMIC_ACQUIRE) < n) usleep(100);
  sleep(1);

  char path[4096], target[4096];
  double start = now(), in_sync = 0, waiting = 0;
  for (int i = 0; i < n; i++) {
    double before = now();
    while (__atomic_load_n(&made, __ATOMIC_ACQUIRE) <= i) usleep(20);
    waiting += now() - before;
    snprintf(path, sizeof path, "%s/%d.part", dir, i);
    int fd = open(path, O_WRONLY);
    check(fd >= 0, "open");
    for (long at = 0; at < size; at += PIECE) {
      long len = size - at < PIECE ? size - at : PIECE;
      check(pwrite(fd, data + at, len, at) == len, "pwrite");
      sync_file_range(fd, at, len, SYNC_FILE_RANGE_WRITE);
    }
    if (prewritten) {
      /* (FFFC,FFFC) OB, explicit VR little endian: tag, VR, two reserved bytes, 32-bit length of the zeros after it. */
      unsigned char header[12] = {0xFC, 0xFF, 0xFC, 0xFF, 'O', 'B', 0, 0};
      unsigned int rest = (unsigned int)(prefill - size - 12);
      memcpy(header + 8, &rest, 4);
      check(pwrite(fd, header, 12, size) == 12, "padding header");
    }
    check(pwrite(fd, data, 24, 0) == 24, "seal");
    before = now();
    check((prewritten ? fdatasync(fd) : fsync(fd)) == 0, "sync");
    in_sync += now() - before;
    if (prewritten) check(ftruncate(fd, size) == 0, "ftruncate");
    close(fd);
    snprintf(target, sizeof target, "%s/%d.dcm", dir, i);
    check(rename(path, target) == 0, "rename");
    __atomic_store_n(&renamed, i + 1, __ATOMIC_RELEASE);
  }
  double total = now() - start;
  done = 1;
  pthread_join(thread, NULL);
  printf("%-10s %d x %ld bytes: %.3f ms per instance, %.3f ms of it in %s, %.3f waiting for the pool\n", argv[2], n, size,
         total / n * 1e3, in_sync / n * 1e3, prewritten ? "fdatasync" : "fsync", waiting / n * 1e3);
  return 0;
}
