#!/bin/sh
# Every write, open, rename, send, connect and allocation of the library goes
# through the fault-injection seam of src/sys.h (issue 9): fail on a raw call
# anywhere in src/, handlers/ or formatters/ outside the seam's own files.
# Comments are skipped; "x->open(", "s.write(" and "lt_write_all(" are not calls
# of libc.
cd "${1:?usage: check_sys_calls.sh SOURCE_DIR}" || exit 2
found=$(grep -nE '(^|[^A-Za-z0-9_.>"])(write|writev|pwrite|open|openat|creat|rename|renameat|send|sendto|sendmsg|connect|malloc|calloc|realloc|strdup|strndup|aligned_alloc|posix_memalign)[[:space:]]*\(' \
  src/*.c src/*.h handlers/*.c handlers/*.h formatters/*.c formatters/*.h |
  grep -vE '^src/(sys|sys_fault)\.c:' |
  grep -vE '^[^:]+:[0-9]+:[[:space:]]*(/\*|\*)' |
  sed -E 's#/\*.*##' | grep -E '(^|[^A-Za-z0-9_.>"])(write|writev|pwrite|open|openat|creat|rename|renameat|send|sendto|sendmsg|connect|malloc|calloc|realloc|strdup|strndup|aligned_alloc|posix_memalign)[[:space:]]*\(')
if [ -n "$found" ]; then
  echo "raw calls outside the seam (use lt__sys_* / lt__malloc ... of src/sys.h):"
  echo "$found"
  exit 1
fi
echo "no raw write/open/rename/send/connect/allocation outside src/sys*.c"
