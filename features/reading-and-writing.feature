@area:reading-and-writing
Feature: Reading and writing messages
  A Ksock reads one message at a time. NEXTMSG takes the message at the head of the queue, makes
  it the current message and reports its length; read() then hands out its bytes, as many as
  asked for each time, continuing where the last read stopped, and returns nothing once the
  message is exhausted or when there is no current message. Taking the next message abandons
  whatever was left of the current one.

  Writing is independent of reading. write() appends to the message being written; SEND sends
  it and DISCARD throws it away; either way the Ksock is then ready for a new message. SEND with
  nothing written fails with ENOMSG, and any error from write() throws away what was written so
  far. Neither read() nor write() ever waits.

  Background:
    Given the Ksocks "alice" and "bob"
    And "bob" listens to "$.*"

  @IO-01 @spec:select-writesend-and-next-message-blocking @extended
  Scenario: Reading with no current message gives end of file
    When "bob" reads up to 100 bytes
    Then no bytes come back

  @IO-02 @spec:select-writesend-and-next-message-blocking @extended
  Scenario: NEXTMSG on an empty queue reports 0 and leaves nothing to read
    When "bob" takes the next message
    Then NEXTMSG reported a length of 0
    When "bob" reads up to 100 bytes
    Then no bytes come back

  @IO-02 @spec:select-writesend-and-next-message-blocking @extended
  Scenario: NEXTMSG on an empty queue drops a message only partly read
    Given "alice" has sent an announcement "$.First"
    And "bob" has taken the next message and read 10 bytes of it
    When "bob" takes the next message
    Then NEXTMSG reported a length of 0
    And LENLEFT of "bob" is 0
    When "bob" reads up to 100 bytes
    Then no bytes come back

  @IO-03 @spec:select-writesend-and-next-message-blocking @extended
  Scenario: NEXTMSG takes the head of the queue and reports its entire length
    Given "alice" has sent announcements "$.First" and "$.Second"
    When "bob" takes the next message
    Then NEXTMSG reported the entire length of a message "$.First" with 0 data bytes
    And "bob" has 1 message queued
    And the message "bob" is reading is "$.First"

  @IO-04 @spec:select-writesend-and-next-message-blocking @extended @promise:data-untouched
  Scenario Outline: A message read in pieces of any size comes out whole
    Given "alice" has sent the message:
      | name | $.Sensors.Kitchen    |
      | data | 37 bytes counting up |
    When "bob" reads the next message in pieces of <size> bytes
    Then every piece was as long as asked for, except perhaps the last
    And the message "bob" read last has:
      | name | $.Sensors.Kitchen    |
      | from | alice                |
      | data | 37 bytes counting up |

    Examples:
      | size |
      | 1    |
      | 3    |
      | 7    |
      | 64   |
      | 1000 |

  @IO-05 @spec:select-writesend-and-next-message-blocking @extended
  Scenario: Once a message has been read to its end nothing more comes back
    Given "alice" has sent an announcement "$.Fred"
    And "bob" has read the next message
    When "bob" reads up to 100 bytes
    Then no bytes come back
    And LENLEFT of "bob" is 0

  @IO-06 @spec:select-writesend-and-next-message-blocking @extended
  Scenario: Taking the next message abandons the rest of the current one
    Given "alice" has sent announcements "$.First" and "$.Second"
    And "bob" has taken the next message and read 10 bytes of it
    When "bob" reads the next message
    Then the message "bob" read last has:
      | name | $.Second |
    And "bob" receives nothing

  @IO-07 @spec:select-writesend-and-next-message-blocking @extended
  Scenario: SEND on a Ksock that has never written anything fails with ENOMSG
    When "alice" sends what it has written
    Then it fails with ENOMSG
    And "bob" receives nothing

  @IO-07 @spec:select-writesend-and-next-message-blocking @extended
  Scenario: SEND of a message already sent fails with ENOMSG
    Given "alice" has sent an announcement "$.Fred"
    When "alice" sends what it has written
    Then it fails with ENOMSG
    And "bob" receives "$.Fred"
    And "bob" receives nothing

  @IO-07 @spec:select-writesend-and-next-message-blocking @extended
  Scenario: SEND of a discarded message fails with ENOMSG
    Given "alice" has written an entire message "$.Fred"
    And "alice" has discarded what it has written
    When "alice" sends what it has written
    Then it fails with ENOMSG
    And "bob" receives nothing

  @IO-08 @spec:select-writesend-and-next-message-blocking @extended
  Scenario Outline: DISCARD throws away the message being written
    Given "alice" has written <part> of an entire message "$.Fred"
    When "alice" discards what it has written
    Then it succeeds
    And "alice" has nothing left to send
    And "bob" receives nothing

    Examples:
      | part                  |
      | the first byte        |
      | the first 40 bytes    |
      | all                   |

  @IO-09 @spec:select-writesend-and-next-message-blocking @extended
  Scenario: DISCARD with nothing written is harmless
    When "alice" discards what it has written
    Then it succeeds
    And "alice" has nothing left to send

  @IO-10 @spec:select-writesend-and-next-message-blocking @extended
  Scenario: After a successful SEND the next write starts a new message
    Given "alice" has sent an announcement "$.First"
    When "alice" sends an announcement "$.Second"
    Then it succeeds
    And "bob" receives, in order:
      | $.First  |
      | $.Second |

  @IO-10 @spec:select-writesend-and-next-message-blocking @extended
  Scenario: After a failed SEND the next write starts a new message
    Given "alice" has written an entire message "$.Clock.Time" with flags WANT_A_REPLY
    And "alice" has tried to send what it has written, failing with EADDRNOTAVAIL
    When "alice" sends an announcement "$.Second"
    Then it succeeds
    And "bob" receives "$.Second"
    And "bob" receives nothing

  @IO-11 @spec:select-writesend-and-next-message-blocking @extended @promise:sender-and-listener
  Scenario: A Ksock can read a whole message while it is half way through writing one
    Given "alice" listens to "$.Inbox"
    And "bob" has sent an announcement "$.Inbox"
    And "alice" has written the first 40 bytes of an entire message "$.Outbox" with data "reply"
    When "alice" reads the next message
    Then the message "alice" read last has:
      | name | $.Inbox |
    When "alice" writes the rest of the message
    And "alice" sends what it has written
    Then it succeeds
    And "bob" receives "$.Inbox"
    And "bob" receives "$.Outbox" with:
      | data | "reply" |

  @IO-11 @spec:select-writesend-and-next-message-blocking @extended @promise:sender-and-listener
  Scenario: A Ksock can write and send a message while it is half way through reading one
    Given "alice" listens to "$.Inbox"
    And "bob" has sent the message:
      | name | $.Inbox              |
      | data | 64 bytes counting up |
    And "alice" has taken the next message and read 10 bytes of it
    When "alice" sends an announcement "$.Outbox"
    Then it succeeds
    When "alice" reads the rest of the current message
    Then the message "alice" read last has:
      | name | $.Inbox              |
      | data | 64 bytes counting up |

  @IO-12 @spec:select-writesend-and-next-message-blocking @extended
  Scenario: An error from write() throws away everything written so far
    Given "alice" has written the first 40 bytes of an entire message "$.Fred" with flags ALL_OR_WAIT|ALL_OR_FAIL
    When "alice" writes the rest of the message
    Then it fails with EINVAL
    And "alice" has nothing left to send
    When "alice" sends an announcement "$.Next"
    Then it succeeds
    And "bob" receives "$.Next"
    And "bob" receives nothing

  @IO-13 @spec:select-writesend-and-next-message-blocking @extended
  Scenario: Draining a queue yields every message exactly once
    Given "alice" has sent announcements "$.One", "$.Two", "$.Three", "$.Four" and "$.Five"
    When "bob" reads messages until NEXTMSG reports 0
    Then "bob" has read exactly these messages, in order:
      | $.One   |
      | $.Two   |
      | $.Three |
      | $.Four  |
      | $.Five  |
    And "bob" has 0 messages queued

  @IO-14 @spec:select-writesend-and-next-message-blocking @extended
  Scenario: read() with nothing to read returns at once
    Then reading up to 100 bytes from "bob" returns at once with no bytes

  @IO-14 @spec:select-writesend-and-next-message-blocking @extended
  Scenario: write() returns at once
    Then writing an entire message "$.Fred" through "alice" returns at once

  @ORD-02 @spec:error-numbers @extended
  Scenario: SEND checks for room for the reply before looking for a replier
    Given "alice" listens to "$.Clock.Tick"
    And the queue of "alice" is limited to 1 message
    And "bob" has sent an announcement "$.Clock.Tick"
    And "alice" has sent an announcement "$.Before"
    When "alice" sends a request "$.Nobody.Answers"
    Then it fails with ENOLCK
    And LASTSENT of "alice" is still the id of its previous message
    And "alice" has nothing left to send

  @ORD-02 @spec:error-numbers @extended
  Scenario: SEND refuses an unfinished request before checking for room for its reply
    Given "alice" listens to "$.Clock.Tick"
    And the queue of "alice" is limited to 1 message
    And "bob" has sent an announcement "$.Clock.Tick"
    And "alice" has written the first 40 bytes of an entire message "$.Clock.Time" with flags WANT_A_REPLY
    When "alice" sends what it has written
    Then it fails with EINVAL
    And "alice" has nothing left to send

  @ORD-02 @spec:error-numbers @extended @needs:pointy-messages
  Scenario: SEND refuses a pointy request with a bad name before checking for room for its reply
    Given "alice" listens to "$.Clock.Tick"
    And the queue of "alice" is limited to 1 message
    And "bob" has sent an announcement "$.Clock.Tick"
    And "alice" has written a pointy message "$.Clock.*" with flags WANT_A_REPLY
    When "alice" sends what it has written
    Then it fails with EBADMSG
    And "alice" has nothing left to send
