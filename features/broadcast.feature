@area:broadcast
Feature: Broadcast delivery and ordering
  A message goes to every Ksock that holds a listener binding covering its name, the sender
  included, and to nobody else. A Ksock receives one copy per binding that covers the message.
  If nobody listens, the message simply vanishes and the sender is not told. Every queue is
  first in, first out, and messages are queued in the order they were sent, so every listener
  sees the same messages in the same order, whoever sent them. Listeners also see the requests
  and replies sent under the names they listen to.

  @BC-01 @spec:announcements @core @promise:broadcast
  Scenario: An announcement reaches every Ksock listening to its name
    Given the Ksocks "alice", "bob", "carol" and "dave"
    And "bob" listens to "$.Sensors.Kitchen"
    And "carol" listens to "$.Sensors.*"
    And "dave" listens to "$.Sensors.Bedroom"
    When "alice" sends an announcement "$.Sensors.Kitchen" with data "21.5C"
    Then it succeeds
    And "bob" receives "$.Sensors.Kitchen" with:
      | data | "21.5C"              |
      | from | alice                |
      | id   | alice's last message |
    And "carol" receives "$.Sensors.Kitchen" with:
      | data | "21.5C"              |
      | from | alice                |
      | id   | alice's last message |
    And "dave" receives nothing

  @BC-01 @spec:announcements @core @promise:sender-and-listener
  Scenario: A sender that listens to its own message receives it too
    Given the Ksocks "alice" and "bob"
    And "alice" listens to "$.Sensors.Kitchen"
    And "bob" listens to "$.Sensors.Kitchen"
    When "alice" sends an announcement "$.Sensors.Kitchen"
    Then it succeeds
    And "alice" receives "$.Sensors.Kitchen" with:
      | from | alice |
    And "bob" receives "$.Sensors.Kitchen" with:
      | from | alice |

  @BC-02 @spec:announcements @core @promise:broadcast
  Scenario: A message nobody listens to vanishes without an error
    Given the Ksocks "alice" and "bob"
    And "bob" listens to "$.Sensors.Bedroom"
    When "alice" sends an announcement "$.Sensors.Kitchen"
    Then it succeeds
    And "alice" has 0 messages queued
    And "bob" has 0 messages queued

  @BC-03 @spec:listeners @core @promise:broadcast
  Scenario: A Ksock bound several times to the same name receives a copy per binding
    Given the Ksocks "alice" and "bob"
    And "bob" listens to "$.Sensors.Kitchen" 3 times
    When "alice" sends an announcement "$.Sensors.Kitchen"
    Then it succeeds
    And "bob" has 3 messages queued
    And "bob" receives exactly 3 copies of "$.Sensors.Kitchen" carrying the same message id

  @BC-03 @spec:listeners @core @promise:broadcast
  Scenario: A name and overlapping wildcards each deliver their own copy
    Given the Ksocks "alice" and "bob"
    And "bob" listens to "$.Sensors.Kitchen"
    And "bob" listens to "$.Sensors.*"
    And "bob" listens to "$.Sensors.%"
    And "bob" listens to "$.*"
    When "alice" sends an announcement "$.Sensors.Kitchen"
    Then it succeeds
    And "bob" has 4 messages queued
    And "bob" receives exactly 4 copies of "$.Sensors.Kitchen" carrying the same message id

  @BC-04 @spec:listeners @core @promise:ordering
  Scenario: Every listener sees the messages of several senders in the same order
    Given the Ksocks "alice", "bob", "carol", "dave", "erin" and "frank"
    And "dave" listens to "$.Sensors.*"
    And "erin" listens to "$.*"
    And "frank" listens to "$.Sensors.Kitchen"
    And "frank" listens to "$.Sensors.Bedroom"
    And "frank" listens to "$.Sensors.Hall"
    When these announcements are sent one after another:
      | sender | name              |
      | alice  | $.Sensors.Kitchen |
      | bob    | $.Sensors.Bedroom |
      | carol  | $.Sensors.Hall    |
      | bob    | $.Sensors.Kitchen |
      | alice  | $.Sensors.Hall    |
      | carol  | $.Sensors.Bedroom |
      | alice  | $.Sensors.Bedroom |
    Then "dave", "erin" and "frank" each receive those announcements in the order they were sent

  @BC-04 @spec:listeners @core @promise:ordering
  Scenario: Local message ids ascend in the order listeners receive the messages
    Given the Ksocks "alice", "bob" and "carol"
    And "carol" listens to "$.*"
    When these announcements are sent one after another:
      | sender | name     |
      | alice  | $.One    |
      | bob    | $.Two    |
      | alice  | $.Three  |
      | bob    | $.Four   |
    Then the message ids "carol" receives ascend

  @BC-05 @spec:listeners @core @promise:broadcast
  Scenario: A plain listener receives requests without being asked to reply
    Given the Ksocks "alice", "bob" and "carol"
    And "bob" is the replier for "$.Clock.Time"
    And "carol" listens to "$.Clock.Time"
    When "alice" sends a request "$.Clock.Time"
    Then it succeeds
    And "carol" receives "$.Clock.Time" with:
      | flags | WANT_A_REPLY          |
      | id    | alice's last request  |
      | from  | alice                 |

  @BC-06 @spec:listeners @core @promise:broadcast
  Scenario: A listener receives the replies sent under its name
    Given the Ksocks "alice", "bob" and "carol"
    And "bob" is the replier for "$.Clock.Time"
    And "carol" listens to "$.Clock.Time"
    And "alice" has sent a request "$.Clock.Time"
    And "bob" has read the next message
    When "bob" replies to the request it read
    Then it succeeds
    And "carol" receives "$.Clock.Time" with:
      | in_reply_to | [0:0]        |
      | flags       | WANT_A_REPLY |
    And "carol" receives "$.Clock.Time" with:
      | in_reply_to | alice's last request |
      | from        | bob                  |
      | to          | alice                |
      | flags       | 0                    |

  @BC-07 @spec:senders @core @promise:broadcast
  Scenario: A sender that does not listen does not get its own message back
    Given the Ksocks "alice" and "bob"
    And "bob" listens to "$.Sensors.Kitchen"
    When "alice" sends an announcement "$.Sensors.Kitchen"
    Then it succeeds
    And "alice" receives nothing
    And "bob" receives "$.Sensors.Kitchen"

  @BC-08 @spec:listeners @core @promise:broadcast
  Scenario: An announcement fans out to a thousand listeners
    Given a Ksock "alice"
    And 1000 Ksocks each listening to "$.Fan.Out"
    When "alice" sends an announcement "$.Fan.Out" with data "hello, everyone"
    Then it succeeds
    And each of the 1000 listening Ksocks receives "$.Fan.Out" with data "hello, everyone"

  @BC-08 @spec:listeners @core @promise:broadcast
  Scenario: Data larger than a page fans out to a thousand listeners
    Given a Ksock "alice"
    And "alice" has raised the size limit to fit "$.Fan.Out" with 5000 data bytes
    And 1000 Ksocks each listening to "$.Fan.Out"
    When "alice" sends the message:
      | name | $.Fan.Out              |
      | data | 5000 bytes counting up |
    Then it succeeds
    And each of the 1000 listening Ksocks receives "$.Fan.Out" with data 5000 bytes counting up

  @BC-09 @spec:requests-and-replies @core @promise:sender-and-listener
  Scenario: A requester listening to its own request's name gets the request once and the reply twice
    Given the Ksocks "alice" and "bob"
    And "alice" listens to "$.Clock.Time"
    And "bob" is the replier for "$.Clock.Time"
    And "alice" has sent a request "$.Clock.Time"
    And "bob" has read the next message
    When "bob" replies to the request it read
    Then it succeeds
    And "alice" receives "$.Clock.Time" with:
      | id    | alice's last request |
      | flags | WANT_A_REPLY         |
    And "alice" receives "$.Clock.Time" with:
      | in_reply_to | alice's last request |
      | from        | bob                  |
    And "alice" receives "$.Clock.Time" with:
      | in_reply_to | alice's last request |
      | from        | bob                  |
    And "alice" receives nothing
