package io.tokman.token;

import java.sql.ResultSet;
import java.sql.SQLException;

import io.tokman.github.TestGitHub;

/**
 * Stored tokens as tests read them from the table, opened as tokman opens them: with the
 * key derived from the test App's key.
 */
public final class StoredTokens {

	/** The columns {@link #open} reads. */
	public static final String COLUMNS = "token, token_key, kind, owner, repositories, permissions";

	private static final TokenCipher CIPHER = new TokenCipher(TestGitHub.appKeys(), null);

	private StoredTokens() {
	}

	/** The row's token in the clear; null if it holds none or it does not open. */
	public static String open(ResultSet row) throws SQLException {
		return CIPHER.open(row.getString("token_key"), StoredToken.key(row.getString("kind"), row.getString("owner"),
				row.getString("repositories"), row.getString("permissions")), row.getString("token"));
	}

}
