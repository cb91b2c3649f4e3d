package io.github.phrasetmmonitor.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** {@code role} is an enum in the spec; kept as text so a role Phrase adds later still parses. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record UserReference(String uid, String id, String userName, String firstName, String lastName,
                            String email, String role) {
}
