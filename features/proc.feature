@area:proc
Feature: The /proc/kbus/bindings report
  For debugging, /proc/kbus/bindings lists every binding on every bus. Each bus gets a comment
  line starting with "#", followed by one line per binding, newest first: the device number
  right-aligned in 3 columns and a colon, a space, the Ksock id and the owning process id each
  right-aligned in 8 columns and separated by a space, then "R" for a replier or "L" for a
  listener and the name, each after two spaces. A Ksock bound twice to a name appears twice.
  The report follows every BIND, UNBIND and close.

  @PROC-01 @spec:proc-kbus-bindings @diagnostic @needs:proc-reports
  Scenario: The report lists a bus's bindings newest first, one fixed-column line each
    Given the Ksocks "alice" and "bob"
    And "alice" listens to "$.Sensors.*"
    And "bob" is the replier for "$.Sensors.Kitchen"
    And "bob" listens to "$.Sensors.Kitchen"
    And "alice" listens to "$.Sensors.*"
    Then /proc/kbus/bindings lists for this bus, newest first:
      | ksock | kind | name              |
      | alice | L    | $.Sensors.*       |
      | bob   | L    | $.Sensors.Kitchen |
      | bob   | R    | $.Sensors.Kitchen |
      | alice | L    | $.Sensors.*       |

  @PROC-01 @spec:proc-kbus-bindings @diagnostic @needs:proc-reports @needs:second-bus
  Scenario: The report lists the bindings of every bus, each under its own device number
    Given a Ksock "alice"
    And a Ksock "dave" on a second bus
    And "alice" listens to "$.Sensors.Kitchen"
    And "dave" is the replier for "$.Sensors.Kitchen"
    Then /proc/kbus/bindings lists for this bus, newest first:
      | ksock | kind | name              |
      | alice | L    | $.Sensors.Kitchen |
    And /proc/kbus/bindings lists for the second bus, newest first:
      | ksock | kind | name              |
      | dave  | R    | $.Sensors.Kitchen |

  @PROC-02 @spec:proc-kbus-bindings @diagnostic @needs:proc-reports
  Scenario: The report drops a binding once it is unbound, and only that one
    Given a Ksock "alice"
    And "alice" listens to "$.Sensors.Kitchen"
    And "alice" listens to "$.Sensors.Hall"
    And "alice" listens to "$.Sensors.Kitchen"
    When "alice" unbinds as a listener from "$.Sensors.Kitchen"
    Then it succeeds
    And /proc/kbus/bindings lists for this bus, newest first:
      | ksock | kind | name              |
      | alice | L    | $.Sensors.Hall    |
      | alice | L    | $.Sensors.Kitchen |

  @PROC-02 @spec:proc-kbus-bindings @diagnostic @needs:proc-reports
  Scenario: The report drops every binding of a closed Ksock and keeps everyone else's
    Given the Ksocks "alice" and "bob"
    And "alice" listens to "$.Sensors.Kitchen"
    And "bob" is the replier for "$.Sensors.Kitchen"
    And "bob" listens to "$.Sensors.*"
    When "bob" is closed
    Then it succeeds
    And /proc/kbus/bindings lists for this bus, newest first:
      | ksock | kind | name              |
      | alice | L    | $.Sensors.Kitchen |

  @PROC-02 @spec:proc-kbus-bindings @diagnostic @needs:proc-reports
  Scenario: A bus without bindings has no binding lines in the report
    Given a Ksock "alice"
    And "alice" listens to "$.Sensors.Kitchen"
    And "alice" has unbound as a listener from "$.Sensors.Kitchen"
    Then /proc/kbus/bindings lists no bindings for this bus

  @PROC-03 @spec:proc-kbus-stats @diagnostic @needs:proc-reports
  Scenario: /proc/kbus/stats lists every open Ksock with the id it sent last and its queue against its limit
    Given the Ksocks "alice" and "bob"
    And a read-only Ksock "carol"
    And "bob" listens to "$.Sensors.Kitchen"
    And "carol" listens to "$.Sensors.Kitchen"
    And the queue of "carol" is limited to 5 messages
    And "alice" has sent announcements "$.Sensors.Kitchen" and "$.Sensors.Kitchen"
    Then /proc/kbus/stats lists "alice", "bob" and "carol", each with the id it sent last and its queue against its limit
