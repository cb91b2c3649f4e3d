package io.github.phrasetmmonitor.silence;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A maintenance window ops declared in the silences file: what it matches, and when, in its time zone: once
 * ({@code from} and {@code until} date-times) or every week ({@code weekdays} and the times {@code from} and
 * {@code until}; an {@code until} at or before {@code from} ends on the next day, {@code 24:00} at midnight).
 *
 * @param name    its name, as ops wrote it, in logs, explain and the metrics
 * @param line    its line in the file, for messages
 * @param once    the one-off window's start and end, or null for a recurring one
 * @param onceEnd the one-off window's end
 * @param days    the weekdays a recurring window starts on
 */
public record MaintenanceWindow(String name, int line, SilenceMatcher matcher, ZoneId zone, LocalDateTime once,
                                LocalDateTime onceEnd, Set<DayOfWeek> days, LocalTime from, LocalTime until) {

    public static MaintenanceWindow once(String name, int line, SilenceMatcher matcher, ZoneId zone,
                                         LocalDateTime from, LocalDateTime until) {
        return new MaintenanceWindow(name, line, matcher, zone, from, until, Set.of(), null, null);
    }

    public static MaintenanceWindow weekly(String name, int line, SilenceMatcher matcher, ZoneId zone,
                                           Set<DayOfWeek> days, LocalTime from, LocalTime until) {
        return new MaintenanceWindow(name, line, matcher, zone, null, null, Set.copyOf(days), from, until);
    }

    public boolean isOnce() {
        return once != null;
    }

    public boolean activeAt(Instant now) {
        return endOfActive(now).isPresent();
    }

    /** When the window in force at {@code now} ends; empty when it is not in force. */
    public Optional<Instant> endOfActive(Instant now) {
        if (isOnce()) {
            Instant start = once.atZone(zone).toInstant();
            Instant end = onceEnd.atZone(zone).toInstant();
            return !now.isBefore(start) && now.isBefore(end) ? Optional.of(end) : Optional.empty();
        }
        ZonedDateTime local = now.atZone(zone);
        LocalDate today = local.toLocalDate();
        LocalTime time = local.toLocalTime();
        boolean overnight = !until.isAfter(from);
        if (days.contains(today.getDayOfWeek()) && !time.isBefore(from) && (overnight || time.isBefore(until))) {
            return Optional.of(at(overnight ? today.plusDays(1) : today, until));
        }
        if (overnight && days.contains(today.minusDays(1).getDayOfWeek()) && time.isBefore(until)) {
            return Optional.of(at(today, until));
        }
        return Optional.empty();
    }

    /** The next start after {@code now}; empty for a one-off window that started already. */
    public Optional<Instant> nextStart(Instant now) {
        if (isOnce()) {
            Instant start = once.atZone(zone).toInstant();
            return start.isAfter(now) ? Optional.of(start) : Optional.empty();
        }
        LocalDate day = now.atZone(zone).toLocalDate();
        for (int i = 0; i <= 7; i++) {
            LocalDate candidate = day.plusDays(i);
            Instant start = at(candidate, from);
            if (days.contains(candidate.getDayOfWeek()) && start.isAfter(now)) {
                return Optional.of(start);
            }
        }
        return Optional.empty();
    }

    /** Whether it can never be in force again after {@code now}: a one-off window that ended. */
    public boolean isOver(Instant now) {
        return isOnce() && !onceEnd.atZone(zone).toInstant().isAfter(now);
    }

    /** How it is named in logs, explain and the metrics: {@code window <name>}. */
    public String label() {
        return "window " + name;
    }

    /** When it is, as ops wrote it: {@code 2026-12-12T22:00 to 2026-12-13T02:00 Europe/Berlin} or the weekly form. */
    public String schedule() {
        if (isOnce()) {
            return once + " to " + onceEnd + " " + zone;
        }
        String weekdays = EnumSet.copyOf(days).stream()
                .map(day -> day.getDisplayName(TextStyle.SHORT, Locale.ENGLISH))
                .collect(Collectors.joining(","));
        String end = until.equals(LocalTime.MIDNIGHT) ? "24:00" : until.toString();
        return "every " + weekdays + " " + from + "-" + end + " " + zone;
    }

    private Instant at(LocalDate day, LocalTime time) {
        return day.atTime(time).atZone(zone).toInstant();
    }
}
