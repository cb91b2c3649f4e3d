package io.github.phrasetmmonitor.silence;

import java.util.List;

/** The silences file has mistakes: one line each, naming the file and the line. */
public final class InvalidSilencesException extends IllegalArgumentException {

    private final List<String> problems;

    public InvalidSilencesException(List<String> problems) {
        super(String.join(System.lineSeparator(), problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
