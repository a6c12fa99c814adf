package io.tokman.config;

import java.sql.SQLException;
import java.util.EnumSet;
import java.util.Set;

import com.zaxxer.hikari.SQLExceptionOverride;
import org.sqlite.SQLiteErrorCode;

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

	private static final Set<SQLiteErrorCode> UNUSABLE = EnumSet.of(SQLiteErrorCode.SQLITE_READONLY,
			SQLiteErrorCode.SQLITE_IOERR, SQLiteErrorCode.SQLITE_CORRUPT, SQLiteErrorCode.SQLITE_FULL,
			SQLiteErrorCode.SQLITE_CANTOPEN, SQLiteErrorCode.SQLITE_NOTADB);

	@java.lang.Override
	public Override adjudicate(SQLException ex) {
		// The driver reports the primary result code; extended codes keep it in the low
		// byte.
		SQLiteErrorCode code = SQLiteErrorCode.getErrorCode(ex.getErrorCode() & 0xff);
		return (UNUSABLE.contains(code) || code == SQLiteErrorCode.SQLITE_ERROR && lostTransaction(ex))
				? Override.MUST_EVICT : Override.CONTINUE_EVICT;
	}

	private static boolean lostTransaction(SQLException ex) {
		String message = ex.getMessage();
		return message != null && message.contains("no transaction is active");
	}

}
