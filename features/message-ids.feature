@area:message-ids
Feature: Message ids and the fields KBUS fills in
  Every message sent on a bus gets an id {network id, serial number}. A message sent with network
  id 0 is local: the device gives it network id 0 and the next serial number of the bus's single
  counter, which also numbers the messages KBUS itself generates, so local ids ascend in the
  order messages were sent. A message sent with a non-zero network id keeps the id it was given.
  SEND returns the id and LASTSENT remembers it.

  Whatever the writer put there, a delivered message names its sender's Ksock id in `from`, has
  `extra` zero and never carries the SYNTHETIC flag; every other field and flag bit it was sent
  with reaches the readers unchanged.

  Each Ksock has an id of its own, never 0 and never shared with another Ksock of the bus.

  Background:
    Given the Ksocks "alice" and "bob"
    And "bob" listens to "$.*"

  @ID-01 @spec:message-ids @extended @promise:ordering
  Scenario: A local message gets a fresh id that SEND, LASTSENT and every reader agree on
    Given a Ksock "carol"
    And "carol" listens to "$.Sensors.Kitchen"
    When "alice" sends an announcement "$.Sensors.Kitchen"
    Then it succeeds
    And the id SEND returned to "alice" has network id 0 and a non-zero serial number
    And LASTSENT of "alice" is the id SEND returned
    And "bob" receives "$.Sensors.Kitchen" with:
      | id | alice's last message |
    And "carol" receives "$.Sensors.Kitchen" with:
      | id | alice's last message |

  @ID-02 @spec:message-ids @extended @promise:ordering
  Scenario: Successive local messages get consecutive serial numbers
    Given "alice" has sent an announcement "$.First"
    When "alice" sends an announcement "$.Second"
    Then it succeeds
    And the id SEND returned to "alice" is 1 serial number after its previous one

  @ID-02 @spec:message-ids @extended @promise:ordering
  Scenario: The serial counter is shared by every Ksock of the bus
    Given "alice" has sent an announcement "$.First"
    And "bob" has sent an announcement "$.Second"
    When "alice" sends an announcement "$.Third"
    Then it succeeds
    And the id SEND returned to "alice" is 2 serial numbers after its previous one

  @ID-02 @spec:message-ids @extended @needs:fresh-device
  Scenario: The first id a fresh bus gives out is [0:1]
    When "alice" sends an announcement "$.First"
    Then it succeeds
    And "bob" receives "$.First" with:
      | id | [0:1] |

  @ID-02 @spec:message-ids @extended @needs:serial-counter
  Scenario: The serial counter wraps from 4294967295 to 1, never giving out 0
    Given the bus has given out every serial number up to 4294967294
    When "alice" sends an announcement "$.First"
    Then the id SEND returned to "alice" is [0:4294967295]
    When "alice" sends an announcement "$.Second"
    Then the id SEND returned to "alice" is [0:1]
    And "bob" receives "$.First" with:
      | id | [0:4294967295] |
    And "bob" receives "$.Second" with:
      | id | [0:1] |

  @ID-03 @spec:message-ids @extended
  Scenario: A synthetic reply uses up a serial number of the bus's counter
    Given a Ksock "carol"
    And "carol" is the replier for "$.Clock.Time"
    And "alice" has sent a request "$.Clock.Time"
    And "carol" has unbound as replier from "$.Clock.Time"
    When "alice" reads the next message
    Then the message "alice" read last has:
      | name | $.KBUS.Replier.Unbound |
    And the id of the message "alice" read is 1 serial number after alice's last request
    When "alice" sends an announcement "$.After"
    Then the id SEND returned to "alice" is 2 serial numbers after its previous one

  @ID-03 @spec:message-ids @extended
  Scenario: A replier bind event uses up a serial number of the bus's counter
    Given a Ksock "carol"
    And "carol" listens to "$.KBUS.ReplierBindEvent"
    And "alice" has turned on reporting of replier binds
    And "alice" has sent an announcement "$.First"
    And "bob" is the replier for "$.Clock.Time"
    When "carol" reads the next message
    Then the message "carol" read last has:
      | name | $.KBUS.ReplierBindEvent |
    And the id of the message "carol" read is 1 serial number after alice's last message
    And the next announcement "alice" sends is 2 serial numbers after its previous one

  @ID-03 @spec:message-ids @extended
  Scenario: A replier bind event that cannot be delivered still uses up a serial number
    Given a Ksock "carol"
    And "carol" listens to "$.KBUS.ReplierBindEvent"
    And "carol" listens to "$.Clock.Tick"
    And the queue of "carol" is limited to 1 message
    And "alice" has turned on reporting of replier binds
    And "alice" has sent an announcement "$.Clock.Tick"
    When "bob" binds as replier to "$.Clock.Time"
    Then it fails with EAGAIN
    And no replier is bound to "$.Clock.Time"
    And the next announcement "alice" sends is 2 serial numbers after its previous one

  @ID-04 @spec:message-ids @extended
  Scenario: A message sent with a non-zero network id keeps its whole id
    When "alice" sends the message:
      | name | $.Bridge.Hello |
      | id   | [3:5]          |
    Then it succeeds
    And the id SEND returned to "alice" is [3:5]
    And LASTSENT of "alice" is the id SEND returned
    And "bob" receives "$.Bridge.Hello" with:
      | id | [3:5] |

  @ID-05 @spec:message-ids @extended
  Scenario: A serial number filled in by a local sender is replaced
    Given "alice" has sent an announcement "$.First"
    When "alice" sends the message:
      | name | $.Second        |
      | id   | [0:4000000000]  |
    Then it succeeds
    And the id SEND returned to "alice" is 1 serial number after its previous one
    And "bob" receives "$.First"
    And "bob" receives "$.Second" with:
      | id | alice's last message |

  @ID-06 @spec:things-kbus-changes-in-a-message @extended
  Scenario Outline: The from field always names the sending Ksock
    When "alice" sends the message:
      | name | $.Fred |
      | from | <from> |
    Then it succeeds
    And "bob" receives "$.Fred" with:
      | from | alice |

    Examples:
      | from       |
      | 0          |
      | bob        |
      | 4294967295 |

  @ID-07 @spec:things-kbus-changes-in-a-message @extended
  Scenario: The extra field is always delivered as zero
    When "alice" sends the message:
      | name  | $.Fred     |
      | extra | 1234567    |
    Then it succeeds
    And "bob" receives "$.Fred" with:
      | extra | 0 |

  @ID-08 @spec:things-kbus-changes-in-a-message @extended
  Scenario Outline: A sender cannot make its message look synthetic
    When "alice" sends the message:
      | name  | $.Fred      |
      | flags | <sent>      |
    Then it succeeds
    And "bob" receives "$.Fred" with:
      | flags | <delivered> |

    Examples:
      | sent                | delivered |
      | SYNTHETIC           | 0         |
      | SYNTHETIC\|URGENT   | URGENT    |
      | SYNTHETIC\|0x10000  | 0x10000   |

  @ID-09 @spec:things-kbus-changes-in-a-message @core @promise:data-untouched
  Scenario Outline: Other header fields of an announcement reach the readers unchanged
    When "alice" sends the message:
      | name    | $.Fred  |
      | <field> | <value> |
    Then it succeeds
    And "bob" receives "$.Fred" with:
      | <field> | <value> |

    Examples:
      | field    | value                      |
      | to       | bob                        |
      | orig_from | [7:9]                     |
      | final_to | [11:13]                    |
      | flags    | URGENT                     |
      | flags    | ALL_OR_WAIT                |
      | flags    | ALL_OR_FAIL                |
      | flags    | 0x10                       |
      | flags    | 0xF0                       |
      | flags    | 0x400                      |
      | flags    | 0xFFFF0000                 |
      | flags    | URGENT\|0xABCD0000          |

  @ID-09 @spec:things-kbus-changes-in-a-message @core
  Scenario: A reply keeps the in_reply_to its sender gave it
    Given a Ksock "carol"
    And "carol" is the replier for "$.Clock.Time"
    And "alice" has sent a request "$.Clock.Time"
    And "carol" has read the next message
    When "carol" replies to the request it read
    Then it succeeds
    And "alice" receives "$.Clock.Time" with:
      | in_reply_to | alice's last request |
      | from        | carol                |

  @ID-10 @spec:message-ids @extended
  Scenario: A SEND with nothing to send uses no serial number
    Given "alice" has sent an announcement "$.First"
    When "alice" sends what it has written
    Then it fails with ENOMSG
    And LASTSENT of "alice" is still the id of its previous message
    And the next announcement "alice" sends is 1 serial number after its previous one

  @ID-10 @spec:message-ids @extended
  Scenario: A SEND of an unfinished message uses no serial number
    Given "alice" has sent an announcement "$.First"
    And "alice" has written the first 40 bytes of an entire message "$.Fred"
    When "alice" sends what it has written
    Then it fails with EINVAL
    And LASTSENT of "alice" is still the id of its previous message
    And the next announcement "alice" sends is 1 serial number after its previous one

  @ID-10 @spec:message-ids @extended
  Scenario: A message refused by write() uses no serial number
    Given "alice" has sent an announcement "$.First"
    When "alice" writes an entire message named "$.Fred.*"
    Then it fails with EBADMSG
    And LASTSENT of "alice" is still the id of its previous message
    And the next announcement "alice" sends is 1 serial number after its previous one

  @ID-10 @spec:message-ids @extended
  Scenario: A request refused for lack of room for its reply uses no serial number
    Given a Ksock "carol"
    And "carol" is the replier for "$.Clock.Time"
    And "alice" listens to "$.Clock.Tick"
    And the queue of "alice" is limited to 1 message
    And "carol" has sent an announcement "$.Clock.Tick"
    And "alice" has sent an announcement "$.First"
    When "alice" sends a request "$.Clock.Time"
    Then it fails with ENOLCK
    And LASTSENT of "alice" is still the id of its previous message
    And "alice" has nothing left to send
    And "carol" receives nothing

  @ID-10 @spec:message-ids @extended
  Scenario: A request refused for want of a replier uses up a serial number
    Given "alice" has sent an announcement "$.First"
    When "alice" sends a request "$.Nobody.Answers"
    Then it fails with EADDRNOTAVAIL
    And LASTSENT of "alice" is 1 serial number after its previous message
    And the next announcement "alice" sends is 1 serial number after its previous one

  @ID-10 @spec:message-ids @extended
  Scenario: A reply nobody is waiting for uses up a serial number
    Given "alice" has sent an announcement "$.First"
    When "alice" sends the message:
      | name        | $.Clock.Time |
      | to          | bob          |
      | in_reply_to | [0:999999]   |
    Then it fails with ECONNREFUSED
    And LASTSENT of "alice" is 1 serial number after its previous message

  @ID-10 @spec:message-ids @extended
  Scenario: A request to a replier whose queue is full uses up a serial number
    Given a Ksock "carol"
    And "carol" is the replier for "$.Clock.Time"
    And the queue of "carol" is limited to 1 message
    And "bob" has sent a request "$.Clock.Time"
    And "alice" has sent an announcement "$.First"
    When "alice" sends a request "$.Clock.Time"
    Then it fails with EBUSY
    And LASTSENT of "alice" is 1 serial number after its previous message

  @ID-10 @spec:message-ids @extended @needs:pointy-messages
  Scenario: A pointy message refused at SEND for its name uses no serial number
    Given "alice" has sent an announcement "$.First"
    And "alice" has written a pointy message "$.Fred.*"
    When "alice" sends what it has written
    Then it fails with EBADMSG
    And LASTSENT of "alice" is still the id of its previous message
    And the next announcement "alice" sends is 1 serial number after its previous one

  @ID-10 @spec:message-ids @extended
  Scenario: A stateful request to the wrong replier uses up a serial number
    Given a Ksock "carol"
    And "carol" is the replier for "$.Clock.Time"
    And "alice" has sent an announcement "$.First"
    When "alice" sends the message:
      | name  | $.Clock.Time |
      | flags | WANT_A_REPLY |
      | to    | bob          |
    Then it fails with EPIPE
    And LASTSENT of "alice" is 1 serial number after its previous message
    And "carol" receives nothing

  @ID-10 @spec:message-ids @extended
  Scenario: An all-or-wait message that has to wait has used up a serial number
    Given a Ksock "carol"
    And "carol" listens to "$.Fred"
    And the queue of "carol" is limited to 1 message
    And "bob" has sent an announcement "$.Fred"
    And "alice" has sent an announcement "$.First"
    When "alice" sends the message:
      | name  | $.Fred      |
      | flags | ALL_OR_WAIT |
    Then it fails with EAGAIN
    And LASTSENT of "alice" is 1 serial number after its previous message

  @ID-11 @spec:ioctls @extended
  Scenario: LASTSENT of a Ksock that never sent anything is [0:0]
    Then LASTSENT of "alice" is [0:0]

  @ID-12 @spec:ksocks @extended
  Scenario: Every Ksock gets a new non-zero id, larger than any given before, never reused
    Given a Ksock "carol"
    And "carol" has been closed
    And a Ksock "dave"
    Then the Ksock ids of "alice", "bob", "carol" and "dave" are non-zero and ascending

  @ID-12 @spec:ksocks @extended @needs:fresh-device
  Scenario: The Ksocks of a fresh bus are numbered from 1
    Given a Ksock "carol"
    Then the Ksock ids of "alice", "bob" and "carol" are 1, 2 and 3

  @ID-13 @spec:ioctls @extended
  Scenario: A SEND that leaves its message waiting still reports the message's id
    Given a Ksock "carol"
    And "carol" listens to "$.Sensors.Kitchen"
    And the queue of "carol" is limited to 1 message
    And "alice" has sent an announcement "$.Sensors.Kitchen"
    When "alice" sends the message:
      | name  | $.Sensors.Kitchen |
      | flags | ALL_OR_WAIT       |
    Then it fails with EAGAIN
    And the refused SEND reported the id that LASTSENT of "alice" gives

  @ID-13 @spec:ioctls @extended
  Scenario: A request refused for want of a replier reports no id, though it used one up
    When "alice" sends a request "$.Nobody.Answers"
    Then it fails with EADDRNOTAVAIL
    And the refused SEND reported no message id

  @ID-13 @spec:ioctls @extended
  Scenario: A SEND with nothing written reports no id
    When "alice" sends what it has written
    Then it fails with ENOMSG
    And the refused SEND reported no message id
