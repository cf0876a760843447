//! Typed indices into the program's clients, sessions and staff, and vectors kept
//! per client, session or staff member that only their own index type can index.
//!
//! All three are positions in [`Program`](crate::domain::Program)'s vectors; the
//! types keep a session's index from being used as a staff member's by mistake.

use std::marker::PhantomData;
use std::ops::{Index, IndexMut};

/// A typed position in one of the program's vectors.
pub trait Ix: Copy {
    fn from_position(position: usize) -> Self;
    fn position(self) -> usize;
}

macro_rules! ix_type {
    ($name:ident, $field:literal, $what:literal) => {
        #[doc = concat!("Index into [`Program::", $field, "`](crate::domain::Program::", $field, ").")]
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub usize);

        impl $name {
            #[doc = concat!("The indices of `n` ", $what, ", in order.")]
            pub fn all(n: usize) -> impl DoubleEndedIterator<Item = $name> + Clone {
                (0..n).map($name)
            }
        }

        impl Ix for $name {
            fn from_position(position: usize) -> Self {
                $name(position)
            }

            fn position(self) -> usize {
                self.0
            }
        }
    };
}

ix_type!(ClientIx, "clients", "clients");
ix_type!(SessionIx, "sessions", "sessions");
ix_type!(StaffIx, "staff", "staff members");

/// One `T` per client, session or staff member, indexed by `I`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IxVec<I, T> {
    items: Vec<T>,
    of: PhantomData<fn(I) -> I>,
}

impl<I: Ix, T> IxVec<I, T> {
    /// `n` copies of `value`.
    pub fn from_elem(value: T, n: usize) -> Self
    where
        T: Clone,
    {
        vec![value; n].into()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The element of `i`; `None` past the end.
    pub fn get(&self, i: I) -> Option<&T> {
        self.items.get(i.position())
    }

    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.items.iter()
    }

    /// Every element with its index.
    pub fn iter_enumerated(&self) -> impl DoubleEndedIterator<Item = (I, &T)> {
        (self.items.iter().enumerate()).map(|(i, t)| (I::from_position(i), t))
    }
}

impl<I, T> Default for IxVec<I, T> {
    fn default() -> Self {
        Vec::new().into()
    }
}

impl<I, T> From<Vec<T>> for IxVec<I, T> {
    fn from(items: Vec<T>) -> Self {
        IxVec {
            items,
            of: PhantomData,
        }
    }
}

impl<I, T> FromIterator<T> for IxVec<I, T> {
    fn from_iter<It: IntoIterator<Item = T>>(iter: It) -> Self {
        iter.into_iter().collect::<Vec<T>>().into()
    }
}

impl<I: Ix, T> Index<I> for IxVec<I, T> {
    type Output = T;

    fn index(&self, i: I) -> &T {
        &self.items[i.position()]
    }
}

impl<I: Ix, T> IndexMut<I> for IxVec<I, T> {
    fn index_mut(&mut self, i: I) -> &mut T {
        &mut self.items[i.position()]
    }
}

impl<'a, I, T> IntoIterator for &'a IxVec<I, T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

impl<I, T> IntoIterator for IxVec<I, T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_vector_is_indexed_by_its_own_index_type_in_order() {
        let mut seats: IxVec<SessionIx, u32> = IxVec::from_elem(0, 3);
        seats[SessionIx(2)] += 5;
        assert_eq!(seats[SessionIx(2)], 5);
        assert_eq!(seats.get(SessionIx(3)), None);
        let listed: Vec<(SessionIx, u32)> = seats.iter_enumerated().map(|(s, &n)| (s, n)).collect();
        assert_eq!(listed[2], (SessionIx(2), 5));
        assert_eq!(SessionIx::all(3).last(), Some(SessionIx(2)));
    }
}
