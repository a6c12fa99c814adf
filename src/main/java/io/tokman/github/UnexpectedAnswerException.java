package io.tokman.github;

/** GitHub answered, but not with what tokman asked for. */
public class UnexpectedAnswerException extends GitHubException {

	private final int status;

	UnexpectedAnswerException(int status, String message) {
		super(message);
		this.status = status;
	}

	/**
	 * The HTTP status GitHub answered with, or 0 when the answer itself was unreadable.
	 */
	public int status() {
		return this.status;
	}

}
