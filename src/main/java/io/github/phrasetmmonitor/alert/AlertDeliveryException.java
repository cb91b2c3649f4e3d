package io.github.phrasetmmonitor.alert;

/** A channel did not take an alert. The message is one line and never contains the channel's secret address. */
public class AlertDeliveryException extends RuntimeException {

    public AlertDeliveryException(String message) {
        super(message, null, false, false);
    }
}
