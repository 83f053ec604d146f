package pipeline

import (
	"io/fs"
	"syscall"
	"time"
)

// sysIdentity returns a file's change time, device and inode.
func sysIdentity(fi fs.FileInfo) (ctime time.Time, dev, ino uint64) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return time.Time{}, 0, 0
	}
	return time.Unix(int64(st.Ctim.Sec), int64(st.Ctim.Nsec)), uint64(st.Dev), st.Ino
}
