@area:poll
Feature: Waiting with poll
  poll tells a client when a Ksock is worth using. A Ksock is readable exactly while its queue
  holds a message that has not been taken with NEXTMSG; the message being read does not count.
  A Ksock opened for writing is writable except while an all-or-wait message is waiting for
  room; then each poll retries the send, and the Ksock turns writable once the message has gone.
  A read-only Ksock is never writable. A poll that is already waiting wakes up when a message
  arrives or when a waiting send goes through, at once rather than when its timeout runs out;
  nobody has to poll again.

  @POLL-01 @spec:select-writesend-and-next-message-blocking @extended
  Scenario: A Ksock with an empty queue is not readable
    Given a Ksock "bob"
    And "bob" listens to "$.Sensors.Kitchen"
    Then "bob" is not readable

  @POLL-01 @spec:select-writesend-and-next-message-blocking @extended
  Scenario: A Ksock becomes readable when a message is queued for it
    Given the Ksocks "alice" and "bob"
    And "bob" listens to "$.Sensors.Kitchen"
    When "alice" sends an announcement "$.Sensors.Kitchen"
    Then "bob" is readable

  @POLL-01 @spec:select-writesend-and-next-message-blocking @extended
  Scenario: Taking the only queued message with NEXTMSG leaves a Ksock not readable, though unread
    Given the Ksocks "alice" and "bob"
    And "bob" listens to "$.Sensors.Kitchen"
    And "alice" has sent an announcement "$.Sensors.Kitchen"
    When "bob" takes the next message
    Then "bob" is not readable
    And "bob" has 0 messages queued

  @POLL-01 @spec:select-writesend-and-next-message-blocking @extended
  Scenario: A Ksock stays readable while a second message waits behind the one being read
    Given the Ksocks "alice" and "bob"
    And "bob" listens to "$.Sensors.Kitchen"
    And "alice" has sent announcements "$.Sensors.Kitchen" and "$.Sensors.Kitchen"
    When "bob" takes the next message
    Then "bob" is readable

  @POLL-01 @spec:select-writesend-and-next-message-blocking @extended
  Scenario: Sending does not make the sender readable
    Given the Ksocks "alice" and "bob"
    And "bob" listens to "$.Sensors.Kitchen"
    When "alice" sends an announcement "$.Sensors.Kitchen"
    Then "alice" is not readable

  @POLL-01 @spec:select-writesend-and-next-message-blocking @extended @spec-over-module
  Scenario: A poll whose retry of a waiting request queues its answer finds the Ksock readable at once
    Given the Ksocks "alice" and "bob"
    And "bob" listens to "$.Sensors.Kitchen"
    And "bob" is the replier for "$.Lights.Kitchen"
    And the queue of "bob" is limited to 1 message
    And "alice" has sent an announcement "$.Sensors.Kitchen"
    And "alice" is left waiting to send the message:
      | name  | $.Lights.Kitchen          |
      | flags | WANT_A_REPLY\|ALL_OR_WAIT |
    And "bob" has been closed
    Then "alice" is readable
    And "alice" receives "$.KBUS.Replier.Disappeared" with:
      | in_reply_to | alice's last request |

  @POLL-02 @spec:select-writesend-and-next-message-blocking @extended
  Scenario: A Ksock opened for reading and writing is writable
    Given a Ksock "alice"
    Then "alice" is writable

  @POLL-02 @spec:select-writesend-and-next-message-blocking @extended
  Scenario: A Ksock stays writable while it holds a half-written message
    Given the Ksocks "alice" and "bob"
    And "bob" is the replier for "$.Lights.Kitchen"
    And "alice" has written the first 20 bytes of a request "$.Lights.Kitchen"
    Then "alice" is writable

  @POLL-02 @spec:select-writesend-and-next-message-blocking @extended
  Scenario: A Ksock waiting to send an all-or-wait message is not writable
    Given the Ksocks "alice" and "carol"
    And "carol" listens to "$.Sensors.Kitchen"
    And the queue of "carol" is limited to 1 message
    And "alice" has sent an announcement "$.Sensors.Kitchen"
    And "alice" is left waiting to send the message:
      | name  | $.Sensors.Kitchen |
      | flags | ALL_OR_WAIT       |
    Then "alice" is not writable

  @POLL-03 @spec:select-writesend-and-next-message-blocking @extended
  Scenario: A read-only Ksock is not writable, even with messages queued
    Given a read-only Ksock "bob"
    And a Ksock "alice"
    And "bob" listens to "$.Sensors.Kitchen"
    And "alice" has sent an announcement "$.Sensors.Kitchen"
    Then "bob" is not writable
    And "bob" is readable

  @POLL-04 @spec:select-writesend-and-next-message-blocking @extended
  Scenario: While the recipient is still full, a poll retries the waiting send in vain and delivers nothing
    Given the Ksocks "alice", "bob" and "carol"
    And "bob" listens to "$.Sensors.Kitchen"
    And "carol" listens to "$.Sensors.Kitchen"
    And the queue of "carol" is limited to 1 message
    And "alice" has sent an announcement "$.Sensors.Kitchen"
    And "alice" is left waiting to send the message:
      | name  | $.Sensors.Kitchen |
      | flags | ALL_OR_WAIT       |
      | data  | "second reading"  |
    When "alice" retries its waiting send by polling for up to 50 ms
    Then the poll found "alice" not writable
    And "bob" has 1 message queued
    And "carol" has 1 message queued

  @POLL-04 @spec:select-writesend-and-next-message-blocking @extended
  Scenario: A poll that only looks still completes a waiting send once there is room
    Given the Ksocks "alice", "bob" and "carol"
    And "bob" listens to "$.Sensors.Kitchen"
    And "carol" listens to "$.Sensors.Kitchen"
    And the queue of "carol" is limited to 1 message
    And "alice" has sent an announcement "$.Sensors.Kitchen"
    And "alice" is left waiting to send the message:
      | name  | $.Sensors.Kitchen |
      | flags | ALL_OR_WAIT       |
      | data  | "second reading"  |
    And "carol" has read the next message
    Then "alice" is writable
    And "bob" has 2 messages queued
    And "carol" receives "$.Sensors.Kitchen" with:
      | id   | alice's last message |
      | data | "second reading"     |

  @POLL-05 @spec:select-writesend-and-next-message-blocking @extended
  Scenario: A poll already waiting wakes up readable when a message arrives
    Given the Ksocks "alice" and "bob"
    And "bob" listens to "$.Sensors.Kitchen"
    When "bob" starts waiting up to 5000 ms to become readable
    And "alice" sends an announcement "$.Sensors.Kitchen"
    Then the wait of "bob" ends promptly with it readable

  @POLL-05 @spec:select-writesend-and-next-message-blocking @extended
  Scenario: A poll already waiting wakes up writable when room appears for the waiting send
    Given the Ksocks "alice", "bob" and "carol"
    And "bob" listens to "$.Sensors.Kitchen"
    And "carol" listens to "$.Sensors.Kitchen"
    And the queue of "carol" is limited to 1 message
    And "alice" has sent an announcement "$.Sensors.Kitchen"
    And "alice" is left waiting to send the message:
      | name  | $.Sensors.Kitchen |
      | flags | ALL_OR_WAIT       |
      | data  | "second reading"  |
    When "alice" starts waiting up to 5000 ms to become writable
    And "carol" reads the next message
    Then the wait of "alice" ends promptly with it writable
    And "carol" receives "$.Sensors.Kitchen" with:
      | id   | alice's last message |
      | data | "second reading"     |
