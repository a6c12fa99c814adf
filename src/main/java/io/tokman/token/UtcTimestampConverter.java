package io.tokman.token;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/**
 * Stores instants as UTC text, {@code 2026-11-25 17:00:00.123456}: the original tokman's
 * format, readable by both, sortable as text, and independent of the JVM's and the
 * database's time zones.
 */
@Converter
class UtcTimestampConverter implements AttributeConverter<Instant, String> {

	private static final DateTimeFormatter FORMAT = new DateTimeFormatterBuilder().appendPattern("yyyy-MM-dd HH:mm:ss")
		.optionalStart()
		.appendFraction(ChronoField.MICRO_OF_SECOND, 0, 6, true)
		.optionalEnd()
		.toFormatter();

	private static final DateTimeFormatter WRITE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

	@Override
	public String convertToDatabaseColumn(Instant instant) {
		return (instant != null) ? WRITE.format(LocalDateTime.ofInstant(instant, ZoneOffset.UTC)) : null;
	}

	@Override
	public Instant convertToEntityAttribute(String text) {
		return (text != null) ? LocalDateTime.parse(text, FORMAT).toInstant(ZoneOffset.UTC) : null;
	}

}
