@area:opening
Feature: Opening a bus
  Each bus is a device that any number of processes may open, read-only or for reading and
  writing; every open gives a new Ksock. A Ksock opened read-only can do everything but write a
  message: it can bind, receive, read and use the queue ioctls. Opening a device number that
  does not exist fails with ENOENT.

  @OPEN-01 @spec:the-kbus-devices @extended
  Scenario Outline: A bus can be opened <how>
    When a Ksock is opened <how>
    Then it succeeds
    And the new Ksock had a non-zero Ksock id

    Examples:
      | how                     |
      | read-only               |
      | for reading and writing |

  @OPEN-02 @spec:the-kbus-devices @extended
  Scenario: Opening a device number that does not exist fails with ENOENT
    When device number 999 is opened
    Then it fails with ENOENT

  @OPEN-03 @spec:ksocks @extended
  Scenario: A read-only Ksock cannot write a message
    Given a read-only Ksock "alice"
    And a Ksock "bob"
    And "bob" listens to "$.*"
    When "alice" writes an entire message named "$.Fred"
    Then it fails with EBADF
    And "bob" receives nothing

  @OPEN-04 @spec:ksocks @extended
  Scenario: A read-only Ksock can bind, receive, read and manage its queue
    Given a read-only Ksock "alice"
    And a Ksock "bob"
    When "alice" binds as a listener to "$.Sensors.*"
    Then it succeeds
    When "alice" sets its queue limit to 5
    Then it succeeds
    And the queue limit of "alice" is 5
    When "bob" sends an announcement "$.Sensors.Kitchen" with data "21.5C"
    Then "alice" has 1 message queued
    And "alice" receives "$.Sensors.Kitchen" with:
      | data | "21.5C" |
      | from | bob     |

  @OPEN-04 @spec:ksocks @extended
  Scenario: A read-only Ksock can be a replier
    Given a read-only Ksock "alice"
    And a Ksock "bob"
    When "alice" binds as replier to "$.Clock.Time"
    Then it succeeds
    When "bob" sends a request "$.Clock.Time"
    Then it succeeds
    And "alice" receives "$.Clock.Time" with:
      | flags | WANT_A_REPLY\|WANT_YOU_TO_REPLY |

  @OPEN-05 @spec:ksocks @extended
  Scenario: A thousand Ksocks can be open on one bus at once
    When 1000 Ksocks are opened on the bus before any is closed
    Then it succeeds
    And the 1000 Ksocks all had different non-zero Ksock ids
