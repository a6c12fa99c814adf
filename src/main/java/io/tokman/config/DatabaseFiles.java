package io.tokman.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

import org.springframework.util.StringUtils;

/**
 * The SQLite file holds every token: tokman creates it readable and writable by its own
 * user only (0600), and tightens an existing one (the original tokman's, say) and its
 * {@code -wal} and {@code -shm} files to the same. SQLite creates those two with the
 * database file's permissions. The path is the one SQLite opens: a {@code file:} URI is
 * percent-decoded as SQLite decodes it. A file or folder tokman cannot use stops startup
 * with one report naming {@code DB_URI}, the path, the user tokman runs as and the fix.
 */
final class DatabaseFiles {

	private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

	private DatabaseFiles() {
	}

	static void secure(String url) {
		Path database = sqlitePath(url);
		if (database == null) {
			return;
		}
		Path folder = database.toAbsolutePath().getParent();
		if (!Files.isDirectory(folder)) {
			throw problem(database, "its folder " + folder + " does not exist",
					"Create it (mkdir -p " + folder + "), writable by " + user() + ", or point DB_URI elsewhere.");
		}
		if (!Files.isWritable(folder)) {
			throw problem(database,
					"its folder " + folder + " is not writable by " + user()
							+ " (SQLite writes its -wal and -shm files beside the database)",
					"Make the folder writable by that user (chown " + uid() + " " + folder + "), or point DB_URI at "
							+ "a folder it may write.");
		}
		try {
			if (Files.notExists(database)) {
				Files.createFile(database, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
			}
			for (String suffix : new String[] { "", "-wal", "-shm" }) {
				Path file = Path.of(database + suffix);
				if (Files.notExists(file)) {
					continue;
				}
				if (!Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
					Files.setPosixFilePermissions(file, OWNER_ONLY);
				}
				if (!(Files.isReadable(file) && Files.isWritable(file))) {
					throw problem(file, "it is not readable and writable by " + user(),
							"Give it to that user: chown " + uid() + " " + file + ".");
				}
			}
		}
		catch (UnsupportedOperationException ex) {
			// No POSIX permissions here (Windows): the folder's access rules apply.
		}
		catch (FileSystemException ex) {
			throw problem(Path.of(ex.getFile()),
					"tokman may not change it (" + owner(Path.of(ex.getFile())) + ", tokman runs as " + user() + ")",
					"Give the file to tokman's user: chown " + uid() + " " + ex.getFile() + ".");
		}
		catch (IOException ex) {
			throw problem(database, "it cannot be opened (" + ex.getMessage() + ")",
					"Check that the file and its folder exist and that " + user() + " may read and write them.");
		}
	}

	/**
	 * The file SQLite opens for a JDBC URL, or null for other databases and in-memory
	 * ones.
	 */
	static Path sqlitePath(String url) {
		String name = sqliteName(url);
		if (name == null) {
			return null;
		}
		try {
			return Path.of(name);
		}
		catch (InvalidPathException ex) {
			throw new InvalidSettingException(
					"DB_URI: the SQLite file " + name + " is not a path on this system (" + ex.getReason() + ")",
					"Use a path of plain characters, or run tokman with a UTF-8 locale (LANG=C.UTF-8).");
		}
	}

	/** The name of the file SQLite opens, decoded as SQLite decodes it; null if none. */
	static String sqliteName(String url) {
		if (!url.startsWith("jdbc:sqlite:")) {
			return null;
		}
		String name = url.substring("jdbc:sqlite:".length());
		if (name.startsWith("file:")) {
			// SQLite's URI form (file:path, file:/path, file:///path or
			// file://localhost/path): the query and fragment are options, and the
			// path is percent-encoded.
			name = name.substring("file:".length()).replaceFirst("[?#].*$", "");
			if (name.startsWith("//")) {
				int path = name.indexOf('/', 2);
				name = (path < 0) ? "" : name.substring(path);
			}
			try {
				name = StringUtils.uriDecode(name, StandardCharsets.UTF_8);
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidSettingException(
						"DB_URI: " + url + " is not a valid SQLite file: URI (" + ex.getMessage() + ")",
						"Write each '%' as %25, or give a plain path: jdbc:sqlite:/path.db.");
			}
		}
		else {
			name = name.replaceFirst("\\?.*$", "");
		}
		if (name.isEmpty() || name.startsWith(":memory:")) {
			return null;
		}
		return name;
	}

	private static InvalidSettingException problem(Path file, String problem, String fix) {
		return new InvalidSettingException("DB_URI: cannot use the SQLite file " + file + ": " + problem, fix);
	}

	/** The user tokman runs as, by name and UID. */
	private static String user() {
		return "user " + System.getProperty("user.name") + " (UID " + uid() + ")";
	}

	private static String uid() {
		try {
			return String.valueOf(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
		}
		catch (IOException | RuntimeException ex) {
			return System.getProperty("user.name");
		}
	}

	private static String owner(Path file) {
		try {
			return "it belongs to UID " + Files.getAttribute(file, "unix:uid");
		}
		catch (IOException | RuntimeException ex) {
			return "it belongs to another user";
		}
	}

}
