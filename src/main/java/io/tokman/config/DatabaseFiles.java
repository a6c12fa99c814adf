package io.tokman.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The SQLite file holds every token: tokman creates it readable and writable by its own
 * user only (0600), and tightens an existing one (the original tokman's, say) and its
 * {@code -wal} and {@code -shm} files to the same. SQLite creates those two with the
 * database file's permissions.
 */
final class DatabaseFiles {

	private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

	private DatabaseFiles() {
	}

	static void secure(String url) {
		if (!url.startsWith("jdbc:sqlite:")) {
			return;
		}
		String name = url.substring("jdbc:sqlite:".length()).replaceFirst("^file:", "").replaceFirst("\\?.*$", "");
		if (name.isEmpty() || name.startsWith(":memory:")) {
			return;
		}
		Path database = Path.of(name);
		try {
			if (Files.notExists(database)) {
				Files.createFile(database, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
			}
			for (String suffix : new String[] { "", "-wal", "-shm" }) {
				Path file = Path.of(name + suffix);
				if (Files.exists(file) && !Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
					Files.setPosixFilePermissions(file, OWNER_ONLY);
				}
			}
		}
		catch (UnsupportedOperationException ex) {
			// No POSIX permissions here (Windows): the folder's access rules apply.
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
