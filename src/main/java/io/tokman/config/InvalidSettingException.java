package io.tokman.config;

/**
 * A setting has a value tokman cannot start with; the message names the setting, the
 * value and the problem.
 */
public class InvalidSettingException extends RuntimeException {

	private final String action;

	public InvalidSettingException(String message, String action) {
		super(message);
		this.action = action;
	}

	/** What the operator should do about it. */
	public String action() {
		return this.action;
	}

}
