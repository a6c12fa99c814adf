package io.tokman.github;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

/**
 * What tells that a secret file changed: where its link leads (a Kubernetes Secret volume
 * swaps its files by relinking {@code ..data}), its time and its size.
 */
record FileState(Path target, FileTime modified, long size) {

	/** The file's state now; null if it cannot be read. */
	static FileState of(Path file) {
		try {
			Path target = file.toRealPath();
			return new FileState(target, Files.getLastModifiedTime(target), Files.size(target));
		}
		catch (IOException ex) {
			return null;
		}
	}

}
