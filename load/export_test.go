package load

// Close drops the lock as a killed process does: the operating system
// releases it with the file descriptor, and the file keeps naming the
// holder.
func (l *Lock) Close() { l.f.Close() }
