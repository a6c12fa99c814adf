package io.tokman.token;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

import org.springframework.stereotype.Component;

/**
 * Migration V8: seals every token stored in the clear (the original tokman's included)
 * under the current key, then rewrites the table so that no copy of them is left in the
 * database's files: SQLite's {@code VACUUM} and a checkpoint that empties the write-ahead
 * log, PostgreSQL's {@code VACUUM FULL}. Backups taken before keep what they hold.
 */
@Component
final class SealStoredTokens implements JavaMigration {

	private final TokenCipher cipher;

	SealStoredTokens(TokenCipher cipher) {
		this.cipher = cipher;
	}

	@Override
	public MigrationVersion getVersion() {
		return MigrationVersion.fromVersion("8");
	}

	@Override
	public String getDescription() {
		return "seal stored tokens";
	}

	@Override
	public Integer getChecksum() {
		return null;
	}

	/** VACUUM runs outside any transaction; the rows are sealed in one of their own. */
	@Override
	public boolean canExecuteInTransaction() {
		return false;
	}

	@Override
	public void migrate(Context context) throws SQLException {
		Connection connection = context.getConnection();
		boolean autoCommit = connection.getAutoCommit();
		connection.setAutoCommit(false);
		try {
			seal(connection);
			connection.commit();
		}
		catch (SQLException | RuntimeException ex) {
			connection.rollback();
			throw ex;
		}
		finally {
			connection.setAutoCommit(autoCommit);
		}
		try (Statement statement = connection.createStatement()) {
			if ("SQLite".equals(connection.getMetaData().getDatabaseProductName())) {
				statement.execute("VACUUM");
				statement.execute("PRAGMA wal_checkpoint(TRUNCATE)");
			}
			else {
				statement.execute("VACUUM FULL tokens");
			}
		}
	}

	private void seal(Connection connection) throws SQLException {
		List<Object[]> sealed = new ArrayList<>();
		try (Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery("SELECT id, kind, owner, repositories, permissions, token"
						+ " FROM tokens WHERE token IS NOT NULL AND token_key IS NULL")) {
			while (rows.next()) {
				String scope = StoredToken.key(rows.getString(2), rows.getString(3), rows.getString(4),
						rows.getString(5));
				TokenCipher.Sealed token = this.cipher.seal(scope, rows.getString(6));
				sealed.add(new Object[] { token.text(), token.keyId(), rows.getInt(1) });
			}
		}
		try (PreparedStatement update = connection
			.prepareStatement("UPDATE tokens SET token = ?, token_key = ? WHERE id = ?")) {
			for (Object[] row : sealed) {
				update.setString(1, (String) row[0]);
				update.setString(2, (String) row[1]);
				update.setInt(3, (Integer) row[2]);
				update.addBatch();
			}
			update.executeBatch();
		}
	}

}
