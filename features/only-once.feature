@area:only-once
Feature: Receiving each message only once
  A Ksock normally receives one copy of a message per matching binding. With its only-once
  setting switched on, it receives a single copy of each message however many of its bindings
  match; a Ksock that is replier and listener for a request keeps the copy it must answer.
  The setting belongs to one Ksock, is off to begin with, and applies to messages delivered
  after it changes.

  @ONCE-01 @spec:receiving-messages-once-only @extended
  Scenario: Only-once delivery is off on a new Ksock
    Given a Ksock "alice"
    Then only-once delivery is off for "alice"

  @ONCE-02 @spec:receiving-messages-once-only @extended
  Scenario: Switching only-once delivery reports the previous setting, and querying changes nothing
    Given a Ksock "alice"
    Then successive only-once calls on "alice" return:
      | argument   | returns |
      | 1          | 0       |
      | 0xFFFFFFFF | 1       |
      | 0xFFFFFFFF | 1       |
      | 1          | 1       |
      | 0          | 1       |
      | 0          | 0       |
      | 0xFFFFFFFF | 0       |

  @ONCE-03 @spec:receiving-messages-once-only @extended
  Scenario Outline: Only-once delivery refuses the argument <argument>
    Given a Ksock "alice"
    And "alice" has switched only-once delivery on
    When "alice" sets only-once delivery with argument <argument>
    Then it fails with EINVAL
    And only-once delivery is on for "alice"

    Examples:
      | argument   |
      | 2          |
      | 0x80000000 |
      | 0xFFFFFFFE |

  @ONCE-04 @spec:receiving-messages-once-only @extended
  Scenario: With only-once delivery, several matching bindings give a single copy
    Given the Ksocks "alice" and "bob"
    And "alice" listens to "$.Sensors.Kitchen" 2 times
    And "alice" listens to "$.Sensors.*"
    And "alice" has switched only-once delivery on
    When "bob" sends an announcement "$.Sensors.Kitchen"
    Then it succeeds
    And "alice" has 1 message queued
    And "alice" receives "$.Sensors.Kitchen" with:
      | id | bob's last message |
    And "alice" receives nothing

  @ONCE-05 @spec:receiving-messages-once-only @extended @promise:sender-and-listener
  Scenario Outline: With only-once delivery, a replier that also listens keeps just the copy to answer
    Given the Ksocks "alice" and "bob"
    And "alice" <first> "$.Sensors.Kitchen"
    And "alice" <second> "$.Sensors.Kitchen"
    And "alice" has switched only-once delivery on
    When "bob" sends a request "$.Sensors.Kitchen"
    Then it succeeds
    And "alice" has 1 message queued
    And "alice" receives "$.Sensors.Kitchen" with:
      | id    | bob's last request              |
      | flags | WANT_A_REPLY\|WANT_YOU_TO_REPLY |

    Examples: binding order
      | first                | second               |
      | listens to           | is the replier for   |
      | is the replier for   | listens to           |

  @ONCE-06 @spec:receiving-messages-once-only @extended @promise:sender-and-listener
  Scenario: With only-once delivery, a requester that listens to the name gets its reply once
    Given the Ksocks "alice" and "bob"
    And "alice" is the replier for "$.Sensors.Kitchen"
    And "bob" listens to "$.Sensors.Kitchen"
    And "bob" has switched only-once delivery on
    And "bob" has sent a request "$.Sensors.Kitchen"
    And "alice" has read the next message
    When "alice" replies to the request it read
    Then it succeeds
    And "bob" receives "$.Sensors.Kitchen" with:
      | id    | bob's last request |
      | flags | WANT_A_REPLY       |
    And "bob" receives "$.Sensors.Kitchen" with:
      | in_reply_to | bob's last request |
      | from        | alice              |
    And "bob" receives nothing

  @ONCE-07 @spec:receiving-messages-once-only @extended
  Scenario: Only-once delivery applies to one Ksock and only to later messages
    Given the Ksocks "alice", "bob" and "carol"
    And "alice" listens to "$.Sensors.Kitchen" 2 times
    And "carol" listens to "$.Sensors.Kitchen" 2 times
    And "bob" has sent an announcement "$.Sensors.Kitchen"
    And "alice" has switched only-once delivery on
    When "bob" sends an announcement "$.Sensors.Kitchen"
    Then it succeeds
    And "alice" has 3 messages queued
    And "carol" has 4 messages queued

  @ONCE-08 @spec:receiving-messages-once-only @extended
  Scenario: Switching only-once delivery off again restores a copy per binding
    Given the Ksocks "alice" and "bob"
    And "alice" listens to "$.Sensors.Kitchen" 2 times
    And "alice" listens to "$.Sensors.*"
    And "alice" has switched only-once delivery on
    And "alice" has switched only-once delivery off
    When "bob" sends an announcement "$.Sensors.Kitchen"
    Then it succeeds
    And "alice" has 3 messages queued
