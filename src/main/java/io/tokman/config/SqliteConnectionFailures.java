package io.tokman.config;

import java.sql.SQLException;

import com.zaxxer.hikari.SQLExceptionOverride;

/**
 * Tells Hikari to drop a SQLite connection that failed in a way that leaves it unusable:
 * an I/O error (a file made read-only or immutable, a disk that failed), a corrupt or
 * vanished file, a full disk, or a transaction state SQLite and the driver no longer
 * agree on ({@code cannot rollback - no transaction is active}). Kept, such connections
 * fail every later statement, until a restart; dropped, the next connection opens the
 * file afresh. Set as {@code spring.datasource.hikari.exception-override-class-name} for
 * SQLite (DatabaseDefaults).
 */
public final class SqliteConnectionFailures implements SQLExceptionOverride {

	private static final int SQLITE_ERROR = 1;

	private static final int SQLITE_READONLY = 8;

	private static final int SQLITE_IOERR = 10;

	private static final int SQLITE_CORRUPT = 11;

	private static final int SQLITE_FULL = 13;

	private static final int SQLITE_CANTOPEN = 14;

	private static final int SQLITE_NOTADB = 26;

	@java.lang.Override
	public Override adjudicate(SQLException ex) {
		return switch (ex.getErrorCode() & 0xff) {
			case SQLITE_READONLY, SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_NOTADB ->
				Override.MUST_EVICT;
			case SQLITE_ERROR -> lostTransaction(ex) ? Override.MUST_EVICT : Override.CONTINUE_EVICT;
			default -> Override.CONTINUE_EVICT;
		};
	}

	private static boolean lostTransaction(SQLException ex) {
		String message = ex.getMessage();
		return message != null && message.contains("no transaction is active");
	}

}
